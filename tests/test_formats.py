"""Articles as people have them: saved web pages, Word files and PDF press releases are read into the
same numbered paragraphs as the pasted .txt, with their dates, and answer the dev set as it does."""
from __future__ import annotations

import importlib.util
import json
import shutil

import pytest

from bot.engine import Engine
from bot.render import full_text, to_json
from index.articles import read_article
from index.dates import dateline, find_date
from index.pipeline import process

from .article_files import EN_ARTICLE, VI_ARTICLE, press_release, story, web_page, word_file
from .conftest import ROOT, run_bot

SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def _score():
    """The dev set's own judge (beside the project, as CI has it)."""
    if not SCORE.exists():
        pytest.skip("the shared dev set is not beside the project")
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _failures(folder, index_dir) -> list[str]:
    """What `score.py --cmd "python -m bot ask --json --docs folder"` reports, asked in this process."""
    score = _score()
    engine = Engine.from_folder(folder, index_dir)
    cases = json.loads((SCORE.parent / "dev_questions.json").read_text("utf-8"))["cases"]
    failed = []
    for case in cases:
        why = score.judge(case, to_json(engine.answer(case["q"])))
        failed += [f"{case['id']}: {'; '.join(why)}"] if why else []
    return failed


def _cited_dates(folder, index_dir, question: str) -> list:
    return [c.date for c in Engine.from_folder(folder, index_dir).answer(question).citations]


def test_saved_web_pages_answer_as_the_txt_files_do_and_cite_the_page_date(tmp_path):
    docs = tmp_path / "pages"
    docs.mkdir()
    for path in (VI_ARTICLE, EN_ARTICLE):
        (docs / f"{path.stem}.html").write_text(web_page(story(path)), "utf-8")
    assert _failures(docs, tmp_path / "ix") == []
    assert _cited_dates(docs, tmp_path / "ix", "When did Khuong Sreng visit Hanoi?") == ["2022-09-05"]
    assert _cited_dates(docs, tmp_path / "ix", "ai là đại sứ việt nam tại campuchia") == ["2022-09-05"]


@pytest.mark.parametrize("make, suffix", [(word_file, ".docx"), (press_release, ".pdf")])
def test_the_english_article_as_word_file_or_pdf_answers_as_the_txt_does(tmp_path, make, suffix):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(VI_ARTICLE, docs)
    make(story(EN_ARTICLE), docs / f"{EN_ARTICLE.stem}{suffix}")
    assert _failures(docs, tmp_path / "ix") == []
    answer = Engine.from_folder(docs, tmp_path / "ix").answer("When did Khuong Sreng visit Hanoi?")
    assert answer.citations[0].date == "2022-09-05"
    assert "Hanoi pushes for closer ties with Phnom Penh: Mayor (5 September 2022), ¶" in full_text(answer)


def _paragraphs(path) -> list[str]:
    return [p.text for p in process(path, 2**24).paragraphs]


def test_pdf_paragraphs_are_rebuilt_in_column_order_without_running_header_or_page_numbers(tmp_path):
    """Two columns over two pages, justified and hyphenated: every paragraph comes back whole and in order,
    those broken across a column or a page too, and the running header gives the date."""
    s = story(EN_ARTICLE)
    pdf = press_release(s, tmp_path / "release.pdf")
    expected = [s.title, *(text for kind, text in s.blocks if kind != "caption")]
    assert _paragraphs(pdf) == [" ".join(text.split()) for text in expected]  # no-break spaces print as spaces
    assert read_article(pdf).date == "2022-09-05"


def test_word_file_gives_its_title_paragraphs_and_dateline(tmp_path):
    s = story(EN_ARTICLE)
    article = read_article(word_file(s, tmp_path / "a.docx"))
    assert (article.title, article.language, article.date) == (s.title, "en", "2022-09-05")
    assert _paragraphs(tmp_path / "a.docx") == [s.title, *(text for kind, text in s.blocks if kind != "caption")]


def test_web_page_leaves_its_chrome_and_keeps_its_metadata(tmp_path):
    s = story(VI_ARTICLE)
    page = tmp_path / "page.htm"
    page.write_text(web_page(s, url="https://thoidai.example.vn/ha-noi-phnom-penh.html"), "utf-8")
    article = read_article(page)
    assert (article.title, article.publisher, article.date, article.language) == (s.title, "Thời Đại", "2022-09-05", "vi")
    assert article.url == "https://thoidai.example.vn/ha-noi-phnom-penh.html"
    text = "\n".join(_paragraphs(page))
    for chrome in ("Related news", "Share on Facebook", "All rights reserved", "Politics", "export growth"):
        assert chrome not in text
    assert _paragraphs(page) == [s.title, *(text for kind, text in s.blocks if kind != "caption")]


def test_files_without_article_text_are_named_with_why_and_the_rest_is_answered(tmp_path):
    from fpdf import FPDF

    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(EN_ARTICLE, docs)
    scanned = FPDF()
    scanned.add_page()
    scanned.rect(20, 20, 170, 250, style="F")  # a page that is only a picture
    scanned.output(str(docs / "scan.pdf"))
    (docs / "empty.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", "utf-8")
    (docs / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    (docs / "notes.odt").write_bytes(b"")
    result = run_bot("index", "--docs", str(docs), "--index-dir", str(tmp_path / "ix"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "scan.pdf: no text in the PDF (a scanned one?" in result.stderr
    assert "empty.html: no article text found in the page" in result.stderr
    assert "broken.docx: not a readable Word file" in result.stderr
    assert "notes.odt: not read (.odt; articles are read from .txt, .md, .html, .htm, .pdf and .docx" in result.stderr
    assert "indexed 1 articles" in result.stdout
    answer = run_bot("ask", "--docs", str(docs), "--index-dir", str(tmp_path / "ix"), "When did Khuong Sreng visit Hanoi?")
    assert "September 4-6" in answer.stdout


@pytest.mark.parametrize("text, iso", [
    ("04/09/2022", "2022-09-04"), ("Chủ nhật, 4/9/2022 08:30 GMT+7", "2022-09-04"),
    ("ngày 4 tháng 9 năm 2022", "2022-09-04"), ("Ngay 4 thang 9, 2022", "2022-09-04"),
    ("September 4, 2022", "2022-09-04"), ("Sep 4, 2022", "2022-09-04"), ("Sept. 4th, 2022", "2022-09-04"),
    ("4 September 2022", "2022-09-04"), ("2022-09-04T08:30:00+07:00", "2022-09-04"), ("9/24/2022", "2022-09-24"),
    ("31/2/2022", None), ("in 2022", None), ("September 4-6", None)])
def test_dates_in_either_language(text, iso):
    assert find_date(text) == iso


def test_the_dateline_is_near_the_title_not_in_the_story():
    title = "Đà Nẵng và Busan thúc đẩy hợp tác"
    lead = "Ngày 9/6/2025, Chủ tịch UBND thành phố Đà Nẵng đã tiếp Phó Thị trưởng thành phố Busan tại trụ sở."
    assert dateline([title, "", lead], 0) == "2025-06-09"
    assert dateline([title, "Thứ Hai, 10/06/2025 14:05", lead], 0) == "2025-06-10"
    later = ("Chủ tịch UBND thành phố Đà Nẵng Lương Văn Tùng đã tiếp và làm việc với đoàn công tác của Busan, "
             "nhắc lại cuộc gặp ngày 9/6/2024.")
    assert dateline([title, later], 0) is None
    # Some sites put it over the headline, among the page's short lines; one after the title comes first.
    assert dateline(["Trang chủ | Thời sự", "Thứ Ba, 17/11/2026 16:25 (GMT+7)", "Chính trị", title, later], 3) == "2026-11-17"
    assert dateline(["Thứ Ba, 17/11/2026", title, "Thứ Hai, 10/06/2025 14:05", lead], 1) == "2025-06-10"


def test_header_date_reaches_the_json_citation(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "metro.txt").write_text(
        "---\ntitle: Hanoi opens its first metro line\nlanguage: en\ndate: ngày 6/11/2021\n---\n"
        "Hanoi opens its first metro line\n\n"
        "The Cat Linh - Ha Dong metro line opened to passengers on November 6, 2021, after a decade of construction.\n\n"
        "A ticket costs from 8,000 to 15,000 VND per trip.\n", "utf-8")
    result = run_bot("ask", "--json", "--docs", str(docs), "--index-dir", str(tmp_path / "ix"),
                     "When did the Cat Linh - Ha Dong metro line open?")
    [citation] = json.loads(result.stdout)["citations"]
    assert citation["date"] == "2021-11-06"
    listing = run_bot("index", "--docs", str(docs), "--index-dir", str(tmp_path / "ix"))
    assert "Hanoi opens its first metro line (2021-11-06)" in listing.stdout
