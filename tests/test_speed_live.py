"""A console or bot on an archive: the folder scanned at start is not scanned again for the first question."""
import time

from bot import live

QUESTION = "When did Khuong Sreng visit Hanoi?"


def _counted_scans(monkeypatch, seconds: float) -> list[float]:
    """Each scan of the folder, made to take at least `seconds` (an archive's takes tens of milliseconds)."""
    scans = []
    real = live.scan

    def scan(*args):
        scans.append(time.monotonic())
        time.sleep(seconds)
        return real(*args)

    monkeypatch.setattr(live, "scan", scan)
    return scans


def test_the_first_question_on_an_archive_does_not_scan_the_folder_again(docs_copy, tmp_path, monkeypatch):
    scans = _counted_scans(monkeypatch, 0.02)
    engine = live.LiveEngine(docs_copy, tmp_path / "index")
    assert len(scans) == 1
    assert engine.answer(QUESTION).answered
    assert len(scans) == 1  # the next check waits a hundred times the scan's cost

