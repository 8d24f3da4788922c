"""Read article files: an optional metadata header, then the text as pasted."""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .clean import find_title
from .dates import dateline, find_date
from .language import detect
from .tokenize import printable

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
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
    date: str | None = None  # ISO 8601: from the header, the page's metadata or the dateline
    url: str = ""  # where the article was published, when known


def folder_names(folder: Path) -> tuple[list[str], list[str]]:
    """The names of a folder's article files and of the other files it holds, each in name order.

    Hidden and `_` files and a README are neither. An article name that is not a folder
    is listed even when it is no regular file (a named pipe, a dangling or looping link),
    so that the scan can say why it is not read. scandir knows a file from a folder
    without a stat per entry, and names sort much faster than Paths: both count at
    start-up with 50,000 articles, so one pass finds both lists, as names (making a Path
    of each cost a start at 1M paragraphs 0.4 s).
    """
    articles, others = [], []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")) or name.lower() == "readme.md":
                continue
            if name.lower().endswith(SUFFIXES):  # the name does not start with a dot: its suffix, as splitext's
                if not _is(entry.is_dir):
                    articles.append(name)
            elif _is(entry.is_file):
                others.append(name)
    return sorted(articles), sorted(others)


def _is(test) -> bool:
    """An entry's type test, False for a link that loops (which raises instead)."""
    try:
        return test()
    except OSError:
        return False


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


def article_files(folder: Path) -> list[Path]:
    """Article files of a folder in name order."""
    return [folder / name for name in folder_names(folder)[0]]


def one_line(message: str) -> str:
    """A message as one line of plain text: the characters a file name may hold that would
    break the line or drive the terminal (a newline, an escape) are written as repr writes them."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def unread_warning(path: Path) -> str:
    """Why a file in the articles folder is not answered from, and what to do: a saved web page
    or PDF would otherwise be ignored without a word."""
    kind = path.suffix.lower() or "a file without an extension"
    return (f"{path}: not read ({kind}; articles are read from {', '.join(SUFFIXES[:-1])} and {SUFFIXES[-1]} "
            "files): save the article as one of these")


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
    """The article in a file; ArticleError names the file and why it cannot be read.

    Opened without blocking and checked to be a regular file before it is read: a named
    pipe put where an article was would otherwise hang the reader for good.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as file:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise ArticleError(f"{path}: {file_kind(info.st_mode)}, not an article file; skipped")
            size = info.st_size
            if size > max_bytes:
                raise ArticleError(f"{path}: too large for an article ({size / 2**20:.1f} MB; "
                                   f"the limit is BOT_MAX_ARTICLE_MB={max_bytes / 2**20:g})")
            raw = file.read()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return article_from(raw, path.suffix, path.stem, str(path))


def article_from(raw: bytes, suffix: str, doc_id: str, name: str, url: str = "") -> Article:
    """The article in a file's bytes, read by its format (`suffix`); ArticleError names `name` and why.

    Every format gives a header's fields and a text, so the cleaner, the language and the date
    are found the same way for a pasted page, a saved web page, a PDF and a Word file.
    """
    try:
        meta, body = _parse(raw, suffix.lower(), url)
    except ArticleError as exc:
        raise ArticleError(f"{name}: {exc}") from None
    meta = {key: printable(value) for key, value in meta.items()}
    lines = printable(_newlines(body)).split("\n")
    title = meta.get("title", "")
    language = meta.get("language", "").lower()[:2]
    if language not in ("vi", "en"):
        language = detect(body[:4000])
    date = find_date(meta.get("date", "")) or dateline(lines, find_title(lines, title))
    return Article(doc_id, title, language, meta.get("publisher", ""), lines, date, meta.get("url", url))


def _parse(raw: bytes, suffix: str, url: str) -> tuple[dict[str, str], str]:
    """A file's header fields and text, by format; the readers are imported only when a folder has such files."""
    if suffix in (".html", ".htm"):
        from .read_html import read_html

        return read_html(raw, url)
    if suffix == ".pdf":
        from .read_pdf import read_pdf

        return read_pdf(raw)
    if suffix == ".docx":
        from .read_docx import read_docx

        return read_docx(raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    return parse_header(printable(_newlines(text)))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
