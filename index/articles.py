"""Read article files: an optional metadata header, then the text as pasted."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .language import detect

SUFFIXES = (".txt", ".md")
DEFAULT_MAX_ARTICLE_BYTES = 20 * 2**20  # a larger file is more likely a dump than an article
_HEADER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


class ArticleError(Exception):
    """An article file that cannot be read; the message names the file."""


class DocsError(Exception):
    """The articles cannot be read at all: no such folder, or a setting that makes no sense."""


@dataclass
class Article:
    doc_id: str
    title: str  # from the metadata header; empty when the cleaner must find it
    language: str
    publisher: str
    lines: list[str] = field(default_factory=list)


def list_folder(folder: Path) -> tuple[list[Path], list[Path]]:
    """A folder's article files and the other files it holds, each in name order.

    Hidden and `_` files and a README are neither. scandir knows a file from a folder
    without a stat per entry, and names sort much faster than Paths: both count at
    start-up with 50,000 articles, so one pass finds both lists.
    """
    articles, others = [], []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")) or name.lower() == "readme.md" or not entry.is_file():
                continue
            (articles if os.path.splitext(name)[1].lower() in SUFFIXES else others).append(name)
    return [folder / name for name in sorted(articles)], [folder / name for name in sorted(others)]


def article_files(folder: Path) -> list[Path]:
    """Article files of a folder in name order."""
    return list_folder(folder)[0]


def unread_warning(path: Path) -> str:
    """Why a file in the articles folder is not answered from, and what to do: a saved web page
    or PDF would otherwise be ignored without a word."""
    kind = path.suffix.lower() or "a file without an extension"
    return f"{path}: not read ({kind}; articles are read from .txt and .md files): save the article's text as .txt or .md"


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split a `---`-fenced `key: value` header from the body (both optional)."""
    match = _HEADER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip()
    return meta, text[match.end():]


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> Article:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{path}: too large for an article ({size / 2**20:.1f} MB; "
                               f"the limit is BOT_MAX_ARTICLE_MB={max_bytes / 2**20:g})")
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    meta, body = parse_header(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = body.split("\n")
    title = meta.get("title", "")
    language = meta.get("language", "").lower()[:2]
    if language not in ("vi", "en"):
        language = detect(body[:4000])
    return Article(
        doc_id=path.stem,
        title=title,
        language=language,
        publisher=meta.get("publisher", ""),
        lines=lines,
    )
