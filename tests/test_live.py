"""The articles folder as a user changes it: while the console runs, and with files the bot does not read."""
import json
import os
import select
import shutil
import subprocess
import sys

from .conftest import DOCS, EN_DOC, ROOT, run_bot

QUESTION = "When did Khuong Sreng visit Hanoi?"


def ask(console: subprocess.Popen, question: str) -> dict:
    console.stdin.write(question + "\n")
    console.stdin.flush()
    ready, _, _ = select.select([console.stdout], [], [], 60)
    assert ready, "the console did not answer within 60 s"
    return json.loads(console.stdout.readline())


def test_console_answers_from_articles_added_and_removed_while_it_runs(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    stderr = (tmp_path / "stderr").open("w+")
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "console", "--json", "--docs", str(docs)], cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    try:
        assert ask(console, QUESTION)["answered"] is False

        shutil.copy2(DOCS / f"{EN_DOC}.txt", docs)  # keeps its time: a finished file, not one being written
        added = ask(console, QUESTION)
        assert added["answered"] is True and EN_DOC in {citation["doc"] for citation in added["citations"]}

        (docs / f"{EN_DOC}.txt").unlink()
        (docs / "saved page.odt").write_text("Khuong Sreng visited Hanoi.")
        assert ask(console, QUESTION)["answered"] is False
        assert ask(console, QUESTION)["answered"] is False
    finally:
        console.stdin.close()
        console.wait(timeout=60)
    stderr.seek(0)
    log = stderr.read()
    assert console.returncode == 0, log
    assert f"added {EN_DOC}.txt" in log and f"removed {EN_DOC}.txt" in log
    assert log.count("saved page.odt: not read") == 1, log
    assert "Traceback" not in log


def test_a_file_of_another_format_is_named_with_what_to_do(docs_copy, tmp_path):
    (docs_copy / "notes.odt").write_bytes(b"PK\x03\x04")
    (docs_copy / "report.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_bot("ask", "--json", "--docs", str(docs_copy), QUESTION, env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0 and json.loads(result.stdout)["answered"] is True
    warnings = [line for line in result.stderr.splitlines() if "not read" in line]
    assert [line.split(": not read")[0].rsplit("/", 1)[1] for line in warnings] == ["notes.odt", "report.doc"]
    assert all(".pdf and .docx files): save the article as one of these" in line for line in warnings)
