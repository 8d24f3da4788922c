"""Cleaning keeps the article and drops the page chrome pasted around it."""
from pathlib import Path

import pytest

from index.articles import parse_header, read_article
from index.chunk import number_blocks
from index.clean import clean

from .conftest import DOCS, EN_DOC, FIXTURE_ARTICLES, VI_DOC


def indexed(path: Path) -> list:
    article = read_article(path)
    return number_blocks(article.doc_id, article.title, article.language, clean(article.lines, article.title))


def body_lines(path: Path) -> list[str]:
    """The pasted text below the metadata header, as physical lines."""
    _, body = parse_header(path.read_text("utf-8"))
    return body.split("\n")


def split_at(lines: list[str], marker: str) -> tuple[list[str], list[str]]:
    at = next(i for i, line in enumerate(lines) if line.strip() == marker)
    return lines[:at], lines[at:]


def texts(paragraphs) -> set[str]:
    return {p.text for p in paragraphs}


def test_no_chrome_line_of_the_vietnamese_seed_is_indexed():
    path = DOCS / f"{VI_DOC}.txt"
    article_part, tail = split_at(body_lines(path), "Tin bài liên quan")
    kept = texts(indexed(path))
    chrome = [line.strip() for line in tail if line.strip()]
    chrome += [line.strip() for line in article_part if line.startswith("![")]
    assert len(chrome) > 50
    assert not [c for c in chrome if c in kept or c.rstrip(" |") in kept]
    # every line of the article proper is there, image markup aside
    for line in article_part:
        if line.strip() and not line.startswith("!["):
            assert line.strip().rstrip(" |") in kept


def test_no_chrome_line_of_the_english_seed_is_indexed():
    path = DOCS / f"{EN_DOC}.txt"
    lines = body_lines(path)
    header, rest = split_at(lines, "Hanoi pushes for closer ties with Phnom Penh: Mayor")
    article_part, tail = split_at(rest, "Reactions:")
    kept = texts(indexed(path))
    chrome = [line.strip() for line in header + tail if line.strip()]
    assert "Log in" in chrome and "Related news" in chrome
    assert not [c for c in chrome if c in kept]
    assert {line.strip() for line in article_part if line.strip()} == kept


def test_paragraphs_are_numbered_as_a_reader_counts_them():
    paragraphs = indexed(DOCS / f"{EN_DOC}.txt")
    assert paragraphs[0].number == 0 and paragraphs[0].kind == "title"
    assert [p.number for p in paragraphs] == list(range(len(paragraphs)))
    by_text = {p.text[:40]: p for p in paragraphs}
    assert by_text["Vietnam and Cambodia remain close neighb"].kind == "lead"
    assert by_text["Vietnam and Cambodia remain close neighb"].number == 1
    assert by_text["Phnom Penh Municipal Governor Khuong Sre"].kind == "caption"
    assert by_text["People-to-people diplomacy remains key"].kind == "heading"


def test_captions_after_images_are_kept_and_marked():
    paragraphs = indexed(DOCS / f"{VI_DOC}.txt")
    captions = [p.text for p in paragraphs if p.kind == "caption"]
    assert captions == [
        "Đoàn đại biểu cấp cao Thủ đô Hà Nội hội đàm với lãnh đạo Đô thành Phnom Penh.",
        "Bí thư Thành ủy Hà Nội Đinh Tiến Dũng chào xã giao Chủ tịch Đảng Nhân dân Campuchia (CPP), "
        "Thủ tướng Vương quốc Campuchia Samdech Hun Sen.",
    ]


# Line numbers (1-based, physical lines of the file) from training/data/news/fixture-articles/README.md.
FIXTURE_CHROME = {
    "010_hanoi_vientiane.txt": [*range(7, 12), 13, 15, 17, 27, 29, *range(33, 38), 39, 41, 42, 44, 46, 47, 49, 51,
                                53, 55, 56, 57, 59, *range(61, 67), 68, 70, 72, 74, 75],
    "011_hcmc_bangkok.txt": [*range(7, 13), 16, 20, *range(55, 68), 69, 71, 73, 75, 77, *range(79, 85), 86, 88, 90,
                             92, 94, 96],
    "012_danang_busan_plain.txt": [],
}


@pytest.mark.parametrize("name", sorted(FIXTURE_CHROME))
def test_unseen_articles_are_cleaned_by_general_rules(name):
    path = FIXTURE_ARTICLES / name
    lines = path.read_text("utf-8").split("\n")
    kept = texts(indexed(path))
    chrome_numbers = set(FIXTURE_CHROME[name])
    header_end = 6 if lines[0] == "---" else 0
    leaked = [n for n in chrome_numbers if lines[n - 1].strip().rstrip(" |") in kept]
    assert leaked == []
    content = [n for n in range(header_end + 1, len(lines) + 1)
               if lines[n - 1].strip() and n not in chrome_numbers]
    missing = [n for n in content if lines[n - 1].strip().rstrip(" |") not in kept]
    assert missing == []


def test_plain_article_takes_its_first_line_as_title():
    paragraphs = indexed(FIXTURE_ARTICLES / "012_danang_busan_plain.txt")
    assert paragraphs[0].kind == "title"
    assert paragraphs[0].title.startswith("Đà Nẵng và Busan")
    assert paragraphs[0].language == "vi"
