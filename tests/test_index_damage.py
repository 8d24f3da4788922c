"""A disk index damaged the ways disks and people damage it, or that cannot be written: the bot still answers.

Each test builds a real tantivy index with `python -m bot index`, damages it or its
folder, and asks through the CLI; the bot says what it found in one line on stderr.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import DOCS, ROOT, run_bot
from .test_reliability import GENERATED_TEXT, QUESTION, Console, answered_right

NEW_ARTICLE = ("Hanoi and Vientiane sign a cooperation agreement\n\n"
               "Hanoi and Vientiane signed a memorandum on October 14, 2025 to expand cooperation in tourism.\n")


@pytest.fixture
def built(tmp_path):
    """A folder of the bundled articles and its tantivy index; returns the `--docs ... --index-dir ...` arguments."""
    docs, index_dir = tmp_path / "docs", tmp_path / "ix"
    shutil.copytree(DOCS, docs)
    args = ("--docs", str(docs), "--index-dir", str(index_dir), "--backend", "tantivy")
    assert run_bot("index", *args, env={"XDG_CACHE_HOME": str(tmp_path)}).returncode == 0
    return args


def _generation(args) -> Path:
    index_dir = Path(args[3])
    return index_dir / (index_dir / "CURRENT").read_text()


def json_of(result) -> dict:
    return json.loads(result.stdout)


def _ask(tmp_path, args, question=QUESTION):
    result = run_bot("ask", "--json", *args, question, env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result


def _scribble(path: Path) -> None:
    """64 random bytes written over a file's middle, its size unchanged, as a failing disk or a person would."""
    with open(path, "r+b") as out:
        out.seek(path.stat().st_size // 2 - 32)
        out.write(random.Random(path.name).randbytes(64))


def _scribble_terms(generation: Path) -> None:
    for path in (generation / "terms").iterdir():
        if path.suffix in (".term", ".idx"):
            _scribble(path)


DAMAGES = {
    "CURRENT not UTF-8": (lambda generation: (generation.parent / "CURRENT").write_bytes(b"\xff\xfe\x80\x00tantivy"),
                          "CURRENT holds b'\\xff\\xfe\\x80\\x00tantivy', not the name of an index"),
    "a .pos file deleted": (lambda generation: next((generation / "terms").glob("*.pos")).unlink(), ".pos is missing"),
    "scribbles in .term and .idx files": (_scribble_terms, "does not match its checksum"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_index_is_rebuilt_with_one_line(tmp_path, built, damage):
    spoil, found = DAMAGES[damage]
    spoil(_generation(built))
    first = _ask(tmp_path, built)
    assert answered_right(json_of(first))
    lines = first.stderr.splitlines()
    assert len(lines) == 1 and "is damaged (" in lines[0] and found in lines[0] and "rebuilding" in lines[0], lines
    again = _ask(tmp_path, built)
    assert again.stderr == "" and answered_right(json_of(again))  # rebuilt once, then reused


def test_postings_scribbled_under_a_running_console_are_rebuilt(tmp_path, built):
    """Damage to an index already open is met when a search fails (here tantivy panics): rebuilt, answered."""
    console = Console(tmp_path, *built)
    try:
        assert answered_right(console.ask(QUESTION))
        for path in (_generation(built) / "terms").glob("*.idx"):
            path.write_bytes(b"\xff" * path.stat().st_size)  # in place: the console's memory map sees it
        assert answered_right(console.ask(QUESTION))
        assert answered_right(console.ask(QUESTION))
    finally:
        log = console.close()
    assert log.count("index: the index failed while answering (") == 1 and "); rebuilding" in log, log


def test_an_index_folder_that_is_a_file_answers_from_memory(tmp_path):
    blocker = tmp_path / "ix"
    blocker.write_text("not a folder")
    result = _ask(tmp_path, ("--backend", "tantivy", "--index-dir", str(blocker)))
    assert answered_right(json_of(result))
    assert result.stderr == f"index: cannot write the index in {blocker} (File exists); answering from an in-memory index\n"


def _immutable(path: Path, on: bool) -> None:
    subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True, capture_output=True)


def test_an_immutable_index_folder_is_read_and_new_articles_answered_from_memory(tmp_path, built):
    index_dir = Path(built[3])
    try:
        _immutable(index_dir, True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("chattr +i is not available here")
    try:
        assert not os.access(index_dir, os.W_OK)
        unchanged = _ask(tmp_path, built)
        assert unchanged.stderr == "" and answered_right(json_of(unchanged))  # a valid index is read as it is
        (Path(built[1]) / "002_vientiane.txt").write_text(NEW_ARTICLE, "utf-8")
        changed = _ask(tmp_path, built, "When did Hanoi and Vientiane sign the memorandum?")
    finally:
        _immutable(index_dir, False)
    assert json_of(changed)["answered"]
    assert changed.stderr.splitlines()[-1] == (f"index: cannot write the index in {index_dir} (Operation not "
                                               "permitted); answering from an in-memory index")


@pytest.fixture
def mount(tmp_path):
    """`mount(args, target)`: mounts for the test's length (unmounted after it); skips where mounting is not allowed."""
    mounted = []

    def run(args: list[str], target: Path) -> None:
        target.mkdir(exist_ok=True)
        if subprocess.run(["mount", *args, str(target)], capture_output=True).returncode != 0:
            pytest.skip("mounting is not allowed here")
        if target not in mounted:  # a remount is undone with the mount
            mounted.append(target)

    yield run
    for target in reversed(mounted):
        subprocess.run(["umount", str(target)], check=True)


def test_a_valid_index_on_a_read_only_mount_answers_from_memory(tmp_path, built, mount):
    read_only = tmp_path / "ro"
    mount(["--bind", built[3]], read_only)
    mount(["-o", "remount,ro,bind"], read_only)
    args = (*built[:3], str(read_only), *built[4:])
    result = _ask(tmp_path, args)
    assert answered_right(json_of(result))
    assert result.stderr.startswith(f"index: cannot write the index in {read_only} (Read-only file system; ")
    assert result.stderr.endswith("); answering from an in-memory index\n") and result.stderr.count("\n") == 1


def test_a_full_disk_answers_from_memory(tmp_path, mount):
    full = tmp_path / "full"
    mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs"], full)
    result = _ask(tmp_path, ("--backend", "tantivy", "--index-dir", str(full / "ix")))
    assert answered_right(json_of(result))
    assert result.stderr.startswith(f"index: cannot write the index in {full / 'ix'} (")
    assert ("disk is full" in result.stderr or "No space left on device" in result.stderr), result.stderr
    assert result.stderr.count("\n") == 1
    assert os.listdir(full / "ix") == ["update.lock"]  # the generation it could not finish is gone


INDEX_LOOP = """
import subprocess, sys, time
end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    subprocess.run([sys.executable, "-m", "bot", "index", *sys.argv[2:]], stdout=subprocess.DEVNULL, check=True)
    time.sleep(0.2)  # as an operator's script would, not back to back
"""


def _open_but_deleted(pid: int, index_dir: Path) -> list[str]:
    """Files of the index a process has open or mapped that were deleted under it."""
    lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    lines += [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir() if fd.exists()]
    return [line for line in lines if str(index_dir) in line and "(deleted)" in line]


def test_index_runs_while_a_tantivy_console_answers(tmp_path, built):
    """`index` writes new generations while a console answers, updating its own as articles change:
    no file the console reads is deleted under it, and generations nobody reads are removed."""
    docs, index_dir = Path(built[1]), Path(built[3])

    def rewrite(n: int, version: int) -> None:  # a finished article, changed: its time set a minute back
        path = docs / f"gen_{n:03d}.txt"
        path.write_text(GENERATED_TEXT.replace("{n}", str(n)) + f"\nVersion {version}.\n", "utf-8")
        os.utime(path, (time.time() - 60, time.time() - 60))

    for n in range(60):
        rewrite(n, 0)
    assert run_bot("index", *built, env={"XDG_CACHE_HOME": str(tmp_path)}).returncode == 0
    console = Console(tmp_path, *built)
    assert answered_right(console.ask(QUESTION))
    indexer = subprocess.Popen([sys.executable, "-c", INDEX_LOOP, "8", *built], cwd=ROOT, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    answered = 0
    try:
        while indexer.poll() is None:
            rewrite(answered % 60, answered + 1)
            assert answered_right(console.ask(QUESTION))
            answered += 1
            assert _open_but_deleted(console.process.pid, index_dir) == []
        assert indexer.returncode == 0, indexer.stderr.read()
    finally:
        indexer.kill()
        log = console.close()
    assert answered >= 20 and "updating those only" in log
    assert run_bot("index", *built, env={"XDG_CACHE_HOME": str(tmp_path)}).returncode == 0
    assert len([folder for folder in index_dir.iterdir() if folder.is_dir()]) == 1  # the console's is gone too
