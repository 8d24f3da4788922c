"""What the file system may do to the articles folder while the bot reads it: the bot keeps answering.

Every test drives `python -m bot` as a user does, on real folders that another process
or the test itself changes under it.
"""
import json
import os
import select
import shutil
import subprocess
import sys
import time

import pytest

from .conftest import DOCS, EN_DOC, ROOT, run_bot

QUESTION = "When did Khuong Sreng visit Hanoi?"
GENERATED = 200


class Console:
    """`python -m bot console --json` on a folder, asked one line at a time."""

    def __init__(self, tmp_path, *args: str):
        self.stderr = (tmp_path / "console.stderr").open("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", *args], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})

    def ask(self, line: str) -> dict:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], 60)
        assert ready, f"no reply within 60 s; stderr: {self.log()}"
        reply = self.process.stdout.readline()
        assert reply, f"the console died; stderr: {self.log()}"
        return json.loads(reply)

    def close(self) -> str:
        """Ends the session; its stderr, after checking that it ended well."""
        self.process.stdin.close()
        self.process.wait(timeout=60)
        log = self.log()
        assert self.process.returncode == 0 and "Traceback" not in log, log
        return log

    def log(self) -> str:
        self.stderr.seek(0)
        return self.stderr.read()


def answered_right(reply: dict) -> bool:
    return reply["answered"] and "September 4-6" in reply["answer"] and reply["citations"][0]["doc"] == EN_DOC


def _bundled(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs)  # keeps the files' times: finished articles
    return docs


def test_links_pipes_and_loops_are_named_once_and_the_rest_answered(tmp_path):
    docs = _bundled(tmp_path)
    console = Console(tmp_path, "--docs", str(docs))
    try:
        assert answered_right(console.ask(QUESTION))
        os.symlink("loop_b.txt", docs / "loop_a.txt")
        os.symlink("loop_a.txt", docs / "loop_b.txt")
        os.symlink("gone.txt", docs / "dangling.txt")
        os.mkfifo(docs / "pipe.txt")
        for _ in range(3):
            assert answered_right(console.ask(QUESTION))
    finally:
        log = console.close()
    for name, reason in [("loop_a.txt", "Too many levels of symbolic links"), ("loop_b.txt", "symbolic links"),
                         ("dangling.txt", "a link to a file that does not exist"), ("pipe.txt", "a named pipe")]:
        lines = [line for line in log.splitlines() if f"/{name}: " in line]
        assert len(lines) == 1 and reason in lines[0], log

    indexed = run_bot("index", "--docs", str(docs), env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert indexed.returncode == 1 and "indexed 2 articles" in indexed.stdout
    assert "cannot write the index" not in indexed.stderr and "Traceback" not in indexed.stderr
    assert sum("loop_" in line or "dangling" in line or "pipe.txt" in line
               for line in indexed.stderr.splitlines()) == 4, indexed.stderr


def test_an_article_being_written_is_taken_in_whole_a_moment_later(tmp_path):
    docs = _bundled(tmp_path)
    paragraph = ("On May 5, 2025, the delegation of Da Nang signed the memorandum on cooperation in marine tourism "
                 "with the city of Busan, in the presence of both mayors.")
    question = "When did the delegation of Da Nang sign the memorandum with Busan?"
    console = Console(tmp_path, "--docs", str(docs))
    try:
        # Answered first, so the half-written file below is met by a running console's check, not by
        # a start that a loaded machine may delay past the settle window.
        assert answered_right(console.ask(QUESTION))
        with open(docs / "danang.txt", "w", encoding="utf-8") as article:
            article.write("Da Nang and Busan sign a memorandum on marine tourism\n\n" + paragraph[:-40])
            article.flush()
            assert not console.ask(question)["answered"]  # a writer midway: nothing is quoted from half a file
            article.write(paragraph[-40:] + "\n")
        deadline = time.monotonic() + 10
        while not (reply := console.ask(question))["answered"]:
            assert time.monotonic() < deadline, "the finished article was never taken in"
            time.sleep(0.1)
        assert [c["text"] for c in reply["citations"]] == [paragraph]
    finally:
        console.close()


CHURN = """
import random, sys, time
from pathlib import Path
folder, count = Path(sys.argv[1]), int(sys.argv[2])
while True:
    for n in random.sample(range(count), count):
        path = folder / f"gen_{n:03d}.txt"
        path.unlink(missing_ok=True)
        text = sys.argv[3].replace("{n}", str(n))
        with open(path, "w", encoding="utf-8") as out:  # in two writes, as a slow writer would
            out.write(text[:len(text) * 2 // 3])
            out.flush()
            time.sleep(0.002)
            out.write(text[len(text) * 2 // 3:])
        time.sleep(0.003)
"""
GENERATED_TEXT = "Delegation {n} visits the partner city\n\n" + "\n\n".join(
    f"Paragraph {p} of article {{n}}: the two cities agreed to expand trade, tourism and education "
    f"cooperation on May {p + 1}, 2025." for p in range(8)) + (
    "\n\nThe delegation of city {n} signed the memorandum on youth exchanges on June 9, 2025, "
    "in the presence of officials from both sides.\n")


@pytest.mark.parametrize("backend", ["memory", "tantivy"])
def test_the_console_keeps_answering_while_articles_are_deleted_and_rewritten(tmp_path, backend):
    docs = _bundled(tmp_path)
    whole = {paragraph.replace("{n}", str(n)) for n in range(GENERATED)
             for paragraph in GENERATED_TEXT.strip().split("\n\n")[1:]}
    churn = subprocess.Popen([sys.executable, "-c", CHURN, str(docs), str(GENERATED), GENERATED_TEXT])
    console = Console(tmp_path, "--docs", str(docs), "--backend", backend, "--index-dir", str(tmp_path / "ix"))
    right, started = 0, time.monotonic()
    try:
        while time.monotonic() - started < 20 or right < 200:
            assert time.monotonic() - started < 120, f"only {right} right answers in 120 s"
            reply = console.ask(QUESTION)
            assert answered_right(reply), reply
            right += 1
            generated = console.ask(f"When did the delegation of city {right % GENERATED} sign the memorandum?")
            assert all(c["text"] in whole for c in generated["citations"] if c["doc"].startswith("gen_")), generated
    finally:
        churn.kill()
        churn.wait()
        log = console.close()
    assert "No such file" not in log, log  # a deleted article is gone, not broken
