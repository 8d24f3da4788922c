"""Read article files: an optional metadata header, then the text as pasted."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .language import detect

SUFFIXES = (".txt", ".md")
# A single article larger than this is more likely a dump than an article; skip it by name.
MAX_ARTICLE_BYTES = int(os.environ.get("BOT_MAX_ARTICLE_MB", "20")) * 1024 * 1024
_HEADER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)


class ArticleError(Exception):
    """An article file that cannot be read; the message names the file."""


@dataclass
class Article:
    doc_id: str
    path: Path
    title: str
    language: str
    publisher: str
    meta: dict[str, str] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    # Whether the title came from the metadata header rather than the first line.
    title_from_header: bool = False


def article_files(folder: Path) -> list[Path]:
    """Article files of a folder in name order; hidden files and other types are skipped."""
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "_"))
        and p.name.lower() != "readme.md"
    )


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


def read_article(path: Path) -> Article:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"{path}: too large for an article ({size / 2**20:.1f} MB; "
                               f"the limit is BOT_MAX_ARTICLE_MB={MAX_ARTICLE_BYTES // 2**20})")
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
        path=path,
        title=title,
        language=language,
        publisher=meta.get("publisher", ""),
        meta=meta,
        lines=lines,
        title_from_header=bool(title),
    )
