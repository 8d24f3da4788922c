"""`python -m bot add` and `remove`: articles from files and links written into the folder whole or
not at all, recognised when added twice, and answered from at once by a running console."""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys

import pytest

from bot.library import SourceError, fetch

from .article_files import EN_ARTICLE, VI_ARTICLE, press_release, serve, story, web_page, word_file
from .conftest import ROOT, free_port, run_bot

QUESTION = "When did Khuong Sreng visit Hanoi?"
PAGE_URL = "https://hanoitimes.example.vn/hanoi-pushes-for-closer-ties-with-phnom-penh.html"


def _folder(path) -> dict[str, bytes]:
    """Every file of the folder, hidden ones too, with its bytes: what "unchanged" compares."""
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def _add(docs, *sources, env=None):
    return run_bot("add", "--docs", str(docs), *sources, env=env)


def test_each_format_is_written_as_a_md_with_its_header_and_answered_from(docs, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "page.html").write_text(web_page(story(EN_ARTICLE), url=PAGE_URL), "utf-8")
    word_file(story(VI_ARTICLE), sources / "bai.docx")
    result = _add(docs, str(sources / "page.html"), str(sources / "bai.docx"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "added hanoi-pushes-for-closer-ties-with-phnom-penh-mayor.md: Hanoi pushes for closer ties with Phnom Penh: "
        "Mayor (en, 2022-09-05, 23 paragraphs)",
        "added ha-noi-phnom-penh-nhat-tri-dinh-huong-hop-tac-song-phuong-moi-hieu-qua.md: Hà Nội - Phnom Penh nhất "
        "trí định hướng hợp tác song phương mới hiệu quả (vi, 2022-09-05, 9 paragraphs)"]
    written = (docs / "hanoi-pushes-for-closer-ties-with-phnom-penh-mayor.md").read_text("utf-8")
    assert written.startswith("---\ntitle: Hanoi pushes for closer ties with Phnom Penh: Mayor\nlanguage: en\n"
                              f"publisher: The Hanoi Times\ndate: 2022-09-05\nurl: {PAGE_URL}\n---\n")
    assert sorted(p.name for p in docs.iterdir()) == sorted(p.name for p in docs.glob("*.md"))  # nothing left over
    answer = json.loads(run_bot("ask", "--json", "--docs", str(docs), QUESTION,
                                env={"XDG_CACHE_HOME": str(tmp_path / "cache")}).stdout)
    assert answer["citations"][0]["date"] == "2022-09-05"
    assert "Hanoi pushes for closer ties with Phnom Penh: Mayor (5 September 2022), ¶3 " + PAGE_URL in answer["text"]


def test_the_same_article_twice_is_recognised(docs, tmp_path):
    page = web_page(story(EN_ARTICLE), url=PAGE_URL).encode()
    (tmp_path / "saved.html").write_bytes(page)
    with serve({"/a": (200, "text/html; charset=utf-8", page),
                "/b": (200, "text/html", web_page(story(EN_ARTICLE), url="").encode())}) as base:
        first = _add(docs, f"{base}/a")
        again = _add(docs, f"{base}/a", str(tmp_path / "saved.html"), f"{base}/b")
    assert first.stdout.startswith("added hanoi-pushes-for-closer-ties-with-phnom-penh-mayor.md")
    assert again.returncode == 0 and again.stdout.count("already there, not added again: hanoi-pushes") == 3
    assert [p.name for p in docs.iterdir()] == ["hanoi-pushes-for-closer-ties-with-phnom-penh-mayor.md"]


def test_a_link_is_answered_from_at_once_by_a_running_console(docs, tmp_path):
    console = subprocess.Popen([sys.executable, "-m", "bot", "console", "--json", "--docs", str(docs)], cwd=ROOT,
                               text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")})

    def ask() -> dict:
        console.stdin.write(QUESTION + "\n")
        console.stdin.flush()
        assert select.select([console.stdout], [], [], 60)[0], "the console did not answer"
        return json.loads(console.stdout.readline())

    try:
        assert ask()["answered"] is False
        with serve({"/news/1.html": (301, "text/html", b"/news/hanoi-phnom-penh.html"),
                    "/news/hanoi-phnom-penh.html": (200, "text/html", web_page(story(EN_ARTICLE)).encode())}) as base:
            assert _add(docs, f"{base}/news/1.html").returncode == 0
        answer = ask()  # the very next question, no waiting
        assert answer["answered"] is True and answer["citations"][0]["date"] == "2022-09-05"
        assert f"{base}/news/hanoi-phnom-penh.html" in answer["text"]  # the address the redirect led to
    finally:
        console.stdin.close()
        console.wait(timeout=60)


def test_bad_sources_are_one_line_each_and_leave_the_folder_unchanged(docs, tmp_path):
    (docs / "kept.md").write_text((ROOT / "docs_src" / f"{EN_ARTICLE.name}").read_text("utf-8"), "utf-8")
    (tmp_path / "notes.odt").write_bytes(b"PK")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 not a real one")
    before = _folder(docs)
    big = web_page(story(EN_ARTICLE)).encode() * 100  # over 1 MB
    with serve({"/missing": (404, "text/html", b"gone"), "/logo.png": (200, "image/png", b"\x89PNG"),
                "/big": (200, "text/html", big), "/menu": (200, "text/html", b"<nav><a href='/'>Home</a></nav>"),
                "/loop": (302, "text/html", b"/loop")}) as base:
        cases = {
            f"http://127.0.0.1:{free_port()}/article": "cannot reach it",
            f"{base}/missing": "the server answered 404 Not Found",
            f"{base}/logo.png": "not an article (the server sends image/png)",
            f"{base}/big": "too large for an article",
            f"{base}/menu": "no article text found in the page",
            f"{base}/loop": "more than 5 redirects",
            str(tmp_path / "notes.odt"): "not a format articles are read from (.odt;",
            str(tmp_path / "scan.pdf"): "not a readable PDF",
            str(tmp_path / "nowhere.txt"): "cannot read (No such file or directory)",
        }
        for source, why in cases.items():
            result = _add(docs, source, env={"BOT_MAX_ARTICLE_MB": "0.5"})
            assert result.returncode == 2 and result.stdout == "", source
            assert result.stderr.startswith(f"error: {source}: ") and why in result.stderr, result.stderr
            assert result.stderr.count("\n") == 1, result.stderr
            assert _folder(docs) == before, source


def test_a_page_that_takes_too_long_is_given_up():
    with serve({"/slow": (200, "text/html", b"<p>late</p>")}, delay=2) as base:
        with pytest.raises(SourceError, match="no whole answer within 0.5 s"):
            fetch(f"{base}/slow", 2**20, seconds=0.5)


def test_remove_takes_one_article_out(docs, tmp_path):
    press_release(story(EN_ARTICLE), tmp_path / "release.pdf")
    assert _add(docs, str(tmp_path / "release.pdf")).returncode == 0
    (docs / "other.txt").write_text("Another article\n\nWith a paragraph of its own that says enough.\n", "utf-8")
    assert run_bot("remove", "--docs", str(docs), "nothing-here").stderr == f"error: no article named nothing-here in {docs}\n"
    assert run_bot("remove", "--docs", str(docs), "../docs_src").returncode == 2
    result = run_bot("remove", "--docs", str(docs), "hanoi-pushes-for-closer-ties-with-phnom-penh-mayor")
    assert (result.returncode, result.stdout) == (0, "removed hanoi-pushes-for-closer-ties-with-phnom-penh-mayor.md\n")
    assert [p.name for p in docs.iterdir()] == ["other.txt"]
    assert run_bot("remove", "--docs", str(docs), "other.txt").returncode == 0 and not list(docs.iterdir())
