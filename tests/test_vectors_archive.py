"""An archive's sentence vectors (a disk index's, made on request): they answer across languages
as a memory index's do, a stopped build goes on where it stopped, an archive without them answers
from words and says so once, and an unchanged folder is never encoded again."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from index.archive_vectors import EncodingStopped, archive_vectors
from index.encoder import E5Encoder
from index.store import build, build_memory, load
from index.vectors import VectorCache

from .conftest import DOCS, EN_DOC, ROOT
from .test_encoder import CountingEncoder

VISIT = "Khuong Sreng thăm Hà Nội vào những ngày nào?"


def _archive(folder: Path, paragraphs: int) -> Path:
    """A folder with the bundled English article cut to its header and first lines: tens of sentences."""
    folder.mkdir(parents=True)
    lines = (DOCS / f"{EN_DOC}.txt").read_text("utf-8").splitlines()
    body = [line for line in lines[5:] if line.strip()][:paragraphs]
    (folder / f"{EN_DOC}.txt").write_text("\n".join(lines[:5] + body) + "\n", "utf-8")
    return folder


class StoppedEncoder(CountingEncoder):
    """Ctrl-C in the middle of its second call, as an operator stops a long build."""

    def encode_passages(self, texts):
        if self.calls == 1:
            raise KeyboardInterrupt
        self.calls += 1
        return super().encode_passages(texts)

    calls = 0


@pytest.fixture(scope="module")
def e5_cache(tmp_path_factory):
    """The real encoder behind one cache for the module: each sentence is encoded once."""
    return VectorCache(E5Encoder(), tmp_path_factory.mktemp("vectors"))


def test_an_archive_with_vectors_answers_across_languages_as_a_memory_index_does(tmp_path, e5_cache):
    docs = _archive(tmp_path / "docs", 9)
    archive = build(docs, tmp_path / "index", "tantivy")
    assert archive.backend == "tantivy"
    vectors, why = archive_vectors(archive, tmp_path / "index", e5_cache, build=True)
    assert why is None and len(vectors.rows) > 5
    memory = build_memory(docs, encoder=e5_cache)
    from_archive = Engine(load(docs, tmp_path / "index", backend="tantivy", encoder=e5_cache), encoder=e5_cache)
    assert from_archive.index.vectors is not None and from_archive.encoder is e5_cache
    answers = [engine.answer(VISIT) for engine in (from_archive, Engine(memory, encoder=e5_cache))]
    for answer in answers:
        assert answer.answered and "September 4-6" in answer.quotes[0].text
    assert [(c.doc, c.paragraph) for c in answers[0].citations] == [(c.doc, c.paragraph) for c in answers[1].citations]
    # The same vectors, whichever index keeps them.
    key = answers[0].citations[0].doc, answers[0].citations[0].paragraph
    assert np.array_equal(from_archive.index.vectors.of(*key), memory.vectors.of(*key))


@pytest.mark.parametrize("backend", ["tantivy", "xapian"])
def test_a_stopped_build_goes_on_where_it_stopped_and_an_unchanged_one_encodes_nothing(tmp_path, backend):
    docs = _archive(tmp_path / "docs", 30)
    archive = build(docs, tmp_path / "index", backend)
    stopped = StoppedEncoder()
    with pytest.raises(EncodingStopped) as caught:
        archive_vectors(archive, tmp_path / "index", VectorCache(stopped, tmp_path / "cache"), build=True)
    kept, total = caught.value.encoded, caught.value.total
    assert 0 < kept < total and len(stopped.encoded) == kept
    going_on = CountingEncoder()
    vectors, _ = archive_vectors(archive, tmp_path / "index", VectorCache(going_on, tmp_path / "cache"), build=True)
    assert len(going_on.encoded) == total - kept and len(vectors.rows) == total
    again = CountingEncoder()
    loaded = load(docs, tmp_path / "index", backend=backend, encoder=VectorCache(again, tmp_path / "cache"))
    assert again.encoded == [] and np.array_equal(loaded.vectors.rows, vectors.rows)


def test_an_archive_changed_a_little_has_only_its_new_sentence_encoded(tmp_path, capsys):
    docs = _archive(tmp_path / "docs", 12)
    counting = CountingEncoder()
    archive = build(docs, tmp_path / "index", "tantivy")
    archive_vectors(archive, tmp_path / "index", VectorCache(counting, tmp_path / "cache"), build=True)
    before = len(counting.encoded)
    article = docs / f"{EN_DOC}.txt"
    article.write_text(article.read_text("utf-8").replace("from September 4-6", "from September 5-7"), "utf-8")
    changed = load(docs, tmp_path / "index", backend="tantivy", encoder=VectorCache(counting, tmp_path / "cache"))
    visit = next(p for p in changed.search.paragraphs_of(EN_DOC) if "September 5-7" in p.text)
    assert counting.encoded[before:] == [visit.text]
    assert np.allclose(changed.vectors.of(EN_DOC, visit.number), counting.encode_passages([visit.text]), atol=1e-3)
    assert "words alone" not in capsys.readouterr().err


def test_an_archive_without_vectors_answers_from_words_and_says_so_once(tmp_path, capsys):
    docs = _archive(tmp_path / "docs", 12)
    lexical = Engine(load(docs, tmp_path / "index", backend="tantivy"))
    counting = CountingEncoder()
    cache = VectorCache(counting, tmp_path / "cache")
    first, second = (Engine(load(docs, tmp_path / "index", backend="tantivy", encoder=cache), encoder=cache)
                     for _ in range(2))
    assert counting.encoded == [] and first.index.vectors is None and first.encoder is None
    said = [line for line in capsys.readouterr().err.splitlines() if "vectors" in line]
    assert len(said) == 1 and "python -m bot index --vectors" in said[0]
    assert re.search(r"~\d+ sentences in about \d+ s here", said[0])
    for question in ("When did Khuong Sreng visit Hanoi?", VISIT):
        assert second.answer(question).quotes == lexical.answer(question).quotes


def test_ctrl_c_says_how_far_it_went_and_the_same_command_goes_on(tmp_path):
    docs = _archive(tmp_path / "docs", 26)  # more sentences than the first, timed batch
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"),
               PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    command = [sys.executable, "-m", "bot", "index", "--vectors", "--backend", "tantivy", "--docs", str(docs),
               "--index-dir", str(tmp_path / "index")]
    # Ctrl-C as a terminal sends it, even where this test runs with SIGINT ignored (a job started in the
    # background of a shell without job control): the command then starts with it ignored too.
    running = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    told = running.stderr.readline()
    assert re.match(r"vectors: encoding (\d+) sentences, about \d+ s at [\d.]+ a second; Ctrl-C stops", told), told
    total = int(told.split()[2])
    running.send_signal(signal.SIGINT)
    stdout, stderr = running.communicate(timeout=60)
    assert running.returncode == 130, stderr
    assert "Traceback" not in stderr
    kept = int(re.search(r"stopped; (\d+) of (\d+) sentences encoded and kept", stderr).group(1))
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"of which {total - kept} newly encoded" in done.stdout
