"""Questions and articles that hide characters, run very long or carry terminal controls: answered as plain ones."""
import json
import random
import string
import time

from .conftest import DOCS, EN_DOC, run_bot
from .test_reliability import QUESTION, Console, answered_right

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _with_en_article(tmp_path, change) -> str:
    """A folder holding the bundled English article as `change` rewrites it; returns the folder."""
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (DOCS / f"{EN_DOC}.txt").read_text("utf-8")
    (docs / f"{EN_DOC}.txt").write_text(change(text), "utf-8")
    return str(docs)


def test_invisible_characters_in_a_question_are_ignored(tmp_path):
    console = Console(tmp_path)
    try:
        plain = console.ask(QUESTION)
        assert answered_right(plain)
        for hidden in INVISIBLE:
            reply = console.ask(f"{hidden}When did Khu{hidden}ong Sreng visit Ha{hidden}noi?")
            assert reply["text"] == plain["text"], repr(hidden)
    finally:
        console.close()


def test_invisible_characters_in_an_article_are_removed(tmp_path):
    docs = _with_en_article(tmp_path, lambda text: text.replace("Khuong Sreng", "Khu\u200bong\u00ad \u202eSreng\u202c"))
    result = run_bot("ask", "--json", "--docs", docs, QUESTION, env={"XDG_CACHE_HOME": str(tmp_path)})
    reply = json.loads(result.stdout)
    assert answered_right(reply)
    assert "Khuong Sreng" in reply["citations"][0]["text"]
    assert not set(reply["text"]) & set(INVISIBLE)


def test_a_pasted_page_as_a_question_is_cut_with_a_note_and_answered_at_once(tmp_path):
    rng = random.Random(7)
    page = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 9))) for _ in range(10_000))
    console = Console(tmp_path)
    try:
        assert answered_right(console.ask(QUESTION))  # the engine is warm
        started = time.monotonic()
        console.ask(page)
        assert time.monotonic() - started < 3  # 41 s when the whole page was read
        assert answered_right(console.ask(QUESTION))
    finally:
        log = console.close()
    assert log.count("note: the question was cut to its first 150 words") == 1, log


CONTROLS = "\x00\x07\x1b\x9b\u202e"


def test_control_characters_in_an_article_never_reach_the_terminal(tmp_path):
    docs = _with_en_article(tmp_path, lambda text: text.replace(
        "Khuong Sreng", "\x1b[31mKhuong\x1b[0m\x07 \x00Sreng\u202e").replace("September", "Sept\x1b]0;owned\x07ember"))
    result = run_bot("ask", "--docs", docs, QUESTION, env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0 and "Khuong Sreng" in result.stdout and "September 4-6" in result.stdout
    assert not set(result.stdout) & set(CONTROLS), repr(result.stdout)


def test_a_file_name_cannot_forge_a_line_on_stderr(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "broken\nindex: everything is fine.txt").write_bytes(b"\xff\xfe not UTF-8")
    (docs / "page\x1b[2J.html").write_text("<html></html>")
    asked = run_bot("ask", "--docs", str(docs), QUESTION, env={"XDG_CACHE_HOME": str(tmp_path)})
    indexed = run_bot("index", "--docs", str(docs), env={"XDG_CACHE_HOME": str(tmp_path)})
    for stderr in (asked.stderr, indexed.stderr):
        lines = stderr.splitlines()
        assert len(lines) == 2 and all(line.startswith(("index: /", "warning: /")) for line in lines), stderr
        assert "broken\\nindex: everything is fine.txt: not UTF-8" in stderr and "page\\x1b[2J.html" in stderr
        assert "\x1b" not in stderr


def test_a_file_that_is_no_article_is_named_for_what_it_is(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = random.Random(5)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 9))) for _ in range(2000)]
    (docs / "one_line.txt").write_text("a" + " ".join(rng.choices(words, k=900_000))[:4_999_999], "utf-8")
    (docs / "word_list.txt").write_text("\n\n".join(rng.choices(words, k=100_000)), "utf-8")
    (docs / "chrome.txt").write_text("Log in\n\nRelated news\n\nShare:\n", "utf-8")
    (docs / "no_body.txt").write_text("Da Nang news\n\nThe delegation signed a memorandum on June 9, 2025.\n", "utf-8")
    result = run_bot("index", "--docs", str(docs), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 1
    reasons = {line.split(": ")[1].rsplit("/", 1)[1]: line for line in result.stderr.splitlines()}
    assert "one line of 5,000,000 characters" in reasons["one_line.txt"]
    assert "none of its 100,000 lines reads as a paragraph" in reasons["word_list.txt"]
    assert "only page chrome?" in reasons["chrome.txt"]
    assert "nothing follows line 3, read as the headline" in reasons["no_body.txt"]
