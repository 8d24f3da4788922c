"""Separate an article from the page chrome pasted around it.

The rules use structure and position, plus marker lines of both languages kept in
data/chrome.json: what stands before the title is site header; image lines are
dropped and the line after one is its caption; a tail marker ("Related news",
"Tin bài liên quan") or a run of bare headlines ends the article.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .tokenize import fold

_IMAGE = re.compile(r"^!\[.*?\]\(.*?\)")
_TABLE_PIPE = re.compile(r"\s*\|\s*$")
_CREDIT = re.compile(r"\b(photos?|ảnh|nguồn ảnh|image|credit)\s*:", re.I)
_CREDIT_ONLY = re.compile(r"^(photos?|ảnh|nguồn ảnh|image|credit|nguồn|source)\s*:", re.I)
# A date or a clock time: on a short line, a dateline or byline rather than text.
_DATELINE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}|\b\d{1,2}:\d{2}\b|\b(ago|trước)\s*$|GMT", re.I)
DATELINE_MAX_WORDS = 10
_TERMINAL = re.compile(r"[.!?…:;\"”’)»]$")
_HEAD_END = re.compile(r"[:(]")

HEADING_MAX_WORDS = 12
CAPTION_MAX_CHARS = 300


@dataclass
class Block:
    kind: str  # title, lead, body, heading, caption
    text: str


@lru_cache(maxsize=1)
def _markers() -> dict[str, frozenset[str] | tuple[str, ...]]:
    data = json.loads((Path(__file__).parent / "data" / "chrome.json").read_text("utf-8"))
    return {"tail": frozenset(data["tail"]), "line": frozenset(data["line"]),
            "prefix": tuple(data["prefix"])}


def _key(line: str) -> str:
    return fold(" ".join(line.casefold().split())).rstrip(":").strip()


def _head(key: str) -> str:
    """The words before a colon or bracket: "Tags: Hà Nội" -> "tags", "Comments (2)" -> "comments"."""
    return _HEAD_END.split(key, maxsplit=1)[0].strip()


@cache
def _more_words_than(n: int) -> re.Pattern:
    """Matches a line with more than n words; possessive, so that no word is counted in pieces."""
    return re.compile(rf"(?:\W*+\w++){{{n + 1}}}")


def _at_most_words(line: str, n: int) -> bool:
    """Whether `line` has at most n words, reading no further than word n + 1 of a long paragraph."""
    return not _more_words_than(n).match(line)


def _is_banner(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 3 and all(c.isupper() for c in letters)


def _looks_like_title(line: str) -> bool:
    return not _at_most_words(line, 3) and not _is_banner(line) and _key(line) not in _markers()["line"]


def _is_headline(line: str) -> bool:
    """A bare headline: short, no closing punctuation."""
    return _at_most_words(line, 20) and not _TERMINAL.search(line)


def find_title(lines: list[str], title: str) -> int:
    """Index of the title line: the header's title if it is found, else the first real line."""
    if title:
        want = _key(title)
        for i, line in enumerate(lines):
            if _key(line) == want:
                return i
    for i, line in enumerate(lines):
        if line.strip() and _looks_like_title(line.strip()):
            return i
    return -1


def why_no_text(lines: list[str]) -> str:
    """Why `clean` found no lead or body paragraph in these lines, in words that say what to fix.

    Page chrome is the usual reason; a file that is one endless line, or a list of a word
    or two per line, is not chrome and is named for what it is.
    """
    texts = [text for text in map(str.strip, lines) if text]
    if not texts:
        return "the file holds no text"
    if len(texts) == 1:
        return (f"it is one line of {len(texts[0]):,} characters, read as the headline; "
                "each paragraph of an article goes on a line of its own")
    start = find_title(lines, "")
    if start >= 0 and not any(line.strip() for line in lines[start + 1:]):
        return (f"nothing follows line {start + 1}, read as the headline; "
                "each paragraph of an article goes on a line of its own")
    markers = _markers()
    chrome = sum(key in markers["line"] or key in markers["tail"] or _head(key) in markers["line"]
                 for key in map(_key, texts))
    if 2 * chrome >= len(texts):
        return "only page chrome?"
    longest = max(len(text.split()) for text in texts)
    return (f"none of its {len(texts):,} lines reads as a paragraph of text; "
            f"the longest has {longest:,} word{'s' if longest > 1 else ''}")


def _is_tail_start(items: list[str], i: int) -> bool:
    """A run of three or more bare headlines after the body is a list of other stories."""
    run = items[i:i + 3]
    return len(run) == 3 and all(_is_headline(x) for x in run)


def clean(lines: list[str], title: str = "") -> list[Block]:
    """Blocks of the article proper, in reading order, each verbatim but for markup."""
    markers = _markers()
    start = find_title(lines, title)
    blocks: list[Block] = []
    if start >= 0:
        blocks.append(Block("title", _TABLE_PIPE.sub("", lines[start]).strip()))
    raw = lines[start + 1:]
    # Non-empty lines with a flag: does a dropped image stand right before it?
    items: list[tuple[str, bool, bool]] = []  # (text, after_image, indented)
    after_image = False
    for line in raw:
        stripped = line.strip()
        if not stripped or stripped == "|":
            continue
        if _IMAGE.match(stripped):
            after_image = True
            continue
        items.append((line, after_image, line[:1].isspace()))
        after_image = False

    seen: set[str] = set()
    texts = [_TABLE_PIPE.sub("", t).strip() for t, _, _ in items]
    body_count = 0
    for i, ((line, after_image, indented), text) in enumerate(zip(items, texts)):
        key = _key(text)
        if not text or key in markers["line"] or _head(key) in markers["line"]:
            continue
        if key in markers["tail"] or _head(key) in markers["tail"]:
            if body_count >= 2:
                break
            continue
        if _at_most_words(text, DATELINE_MAX_WORDS) and (_DATELINE.search(text) or _CREDIT_ONLY.match(text)):
            continue
        if key.startswith(markers["prefix"]) or key in seen:
            continue
        seen.add(key)
        if body_count >= 2 and _is_tail_start(texts, i):
            break
        # A credit needs a colon: looking for one first spares searching most paragraphs.
        captionish = (after_image or line.rstrip().endswith("|") or indented
                      or (":" in text and bool(_CREDIT.search(text))))
        if captionish and len(text) <= CAPTION_MAX_CHARS:
            blocks.append(Block("caption", text))
        elif _is_headline(text) and _at_most_words(text, HEADING_MAX_WORDS):
            following = texts[i + 1] if i + 1 < len(texts) else ""
            if body_count and following and not _is_headline(following):
                blocks.append(Block("heading", text))
        else:
            blocks.append(Block("lead" if body_count == 0 else "body", text))
            body_count += 1
    return blocks
