"""Adding articles to the folder and taking them out: what `python -m bot add/remove` and the
Telegram admins' uploads do.

A source is a file in one of the formats index/ reads, or an http(s) link, fetched with a
size limit and a timeout. It is read and cleaned as the index will read it, and only an
article with text is written: as a `.md` with its header, under a name made from its title,
through a hidden temporary file linked into place, so the folder never holds half an
article. The same article added twice (the same address, or the same text) is found, not
written again. Every failure is a `SourceError` whose message is one line for the user.
"""
from __future__ import annotations

import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from index.articles import SUFFIXES, ArticleError, article_files, article_from, parse_header
from index.pipeline import process_article
from index.tokenize import fold

FETCH_SECONDS = 20.0  # the whole download, however slowly the server sends it
MAX_REDIRECTS = 5
# What a server may call an article, and the format it is read as.
CONTENT_TYPES = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
                 "text/plain": ".txt", "text/markdown": ".md"}
NAME_CHARS = 80  # of a file name made from a title
HEADER_BYTES = 4096  # where an added article's `url:` is found
LINK = re.compile(r"^\s*https?://\S+\s*$", re.I)  # a source, or a message, that is only a link
_WRITING = threading.Lock()


class SourceError(Exception):
    """A source that cannot be added: unreachable, too large, no article, an unknown format."""


@dataclass(frozen=True)
class Added:
    path: Path  # the article's file in the folder
    title: str
    language: str
    date: str | None
    paragraphs: int
    new: bool  # False: the folder already held this article, nothing was written


def is_link(source: str) -> bool:
    return LINK.match(source) is not None


def add(source: str, docs_dir: Path, max_bytes: int) -> Added:
    """Read `source` (a file or an http(s) link) and write its article into `docs_dir`."""
    source = source.strip()
    raw, suffix, url = fetch(source, max_bytes) if is_link(source) else _read_file(Path(source), max_bytes)
    return add_bytes(raw, suffix, docs_dir, source, url)


def add_bytes(raw: bytes, suffix: str, docs_dir: Path, name: str, url: str = "") -> Added:
    """Write the article in `raw`, a file of the format `suffix` known as `name`, into `docs_dir`."""
    if suffix.lower() not in SUFFIXES:
        raise SourceError(f"{name}: not a format articles are read from ({suffix or 'no extension'}; "
                          f"{', '.join(SUFFIXES)}, or an http(s) link)")
    try:
        article = article_from(raw, suffix, "added", name, url)
        text = _markdown(article, process_article(article, name).paragraphs)
        written = process_article(article_from(text.encode(), ".md", "added", name), name)
    except ArticleError as exc:
        raise SourceError(str(exc).removesuffix("; skipped")) from None
    info = written.info
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        raise SourceError(f"no articles folder at {docs_dir}")
    with _WRITING:  # two admins sending the same article at once still get one file
        found = _same_article(docs_dir, article.url, text)
        path = found or _write_new(docs_dir, _file_name(info.title), text)
    return Added(path, info.title, info.language, info.date, info.paragraphs, new=found is None)


def remove(name: str, docs_dir: Path) -> Path:
    """Delete the article file `name` (its file name, or that name without the extension) from `docs_dir`;
    only a name the folder lists matches, so no other file can be named."""
    files = [path for path in article_files(Path(docs_dir)) if name in (path.name, path.stem)]
    if not files:
        raise SourceError(f"no article named {name} in {docs_dir}")
    if len(files) > 1:
        raise SourceError(f"{name} names {len(files)} files ({', '.join(p.name for p in files)}): give the whole name")
    files[0].unlink()
    return files[0]


def fetch(url: str, max_bytes: int, seconds: float = FETCH_SECONDS) -> tuple[bytes, str, str]:
    """The page at `url` (redirects followed), the format its content type names, and its final address."""
    import httpx

    deadline = time.monotonic() + seconds
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=seconds,
                          headers={"User-Agent": "citebot (adding an article)"}) as client:
            with client.stream("GET", url) as response:
                response.raise_for_status()
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if kind not in CONTENT_TYPES:
                    raise SourceError(f"{url}: not an article (the server sends {kind or 'no content type'})")
                if int(response.headers.get("content-length") or 0) > max_bytes:
                    raise SourceError(too_large(url, int(response.headers["content-length"]), max_bytes))
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise SourceError(too_large(url, len(body), max_bytes, "over "))
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the whole page took too long")
                return bytes(body), CONTENT_TYPES[kind], str(response.url)
    except httpx.TimeoutException:
        raise SourceError(f"{url}: no whole answer within {seconds:g} s") from None
    except httpx.TooManyRedirects:
        raise SourceError(f"{url}: more than {MAX_REDIRECTS} redirects") from None
    except httpx.HTTPStatusError as exc:
        raise SourceError(f"{url}: the server answered {exc.response.status_code} "
                          f"{exc.response.reason_phrase}") from None
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: cannot reach it ({exc or type(exc).__name__})") from None


def too_large(source: str, size: int, max_bytes: int, over: str = "") -> str:
    return (f"{source}: too large for an article ({over}{size / 2**20:.1f} MB; "
            f"the limit is BOT_MAX_ARTICLE_MB={max_bytes / 2**20:g})")


def _read_file(path: Path, max_bytes: int) -> tuple[bytes, str, str]:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(too_large(str(path), size, max_bytes))
        return path.read_bytes(), path.suffix, ""
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _markdown(article, paragraphs) -> str:
    """The article as the folder keeps it: its header, then its paragraphs as the index numbers them."""
    fields = {"title": paragraphs[0].title, "language": article.language, "publisher": article.publisher,
              "date": article.date or "", "url": article.url}
    header = "".join(f"{key}: {' '.join(value.split())}\n" for key, value in fields.items() if value)
    return f"---\n{header}---\n" + "\n\n".join(p.text for p in paragraphs) + "\n"


def _same_article(docs_dir: Path, url: str, text: str) -> Path | None:
    """The folder's file of this article: one from the same address, or one of the same text under any header."""
    body = parse_header(text)[1].encode()
    for path in article_files(docs_dir):
        try:
            if len(body) <= path.stat().st_size <= len(body) + HEADER_BYTES:  # only these can hold the same text
                if parse_header(path.read_bytes().decode("utf-8", "replace"))[1].encode() == body:
                    return path
            if url:
                with path.open("rb") as file:
                    head = file.read(HEADER_BYTES).decode("utf-8", "replace")
                if parse_header(head)[0].get("url") == url:
                    return path
        except OSError:  # gone or unreadable meanwhile: not this article
            continue
    return None


def _write_new(docs_dir: Path, stem: str, text: str) -> Path:
    """Write `text` under a free name made from `stem`: complete before it appears, never over another file."""
    from .live import SETTLE_SECONDS

    taken = {path.stem for path in article_files(docs_dir)}
    tmp = docs_dir / f".adding-{uuid.uuid4().hex}.tmp"  # hidden: never read as an article
    try:
        # Not mkstemp: its file is private (0600), an article is as readable as the umask says.
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # Whole when it appears: a running bot need not wait for it to settle before answering from it.
        settled = time.time() - 2 * SETTLE_SECONDS
        os.utime(tmp, (settled, settled))
        for n in range(1, 1000):
            name = stem if n == 1 else f"{stem}-{n}"
            if name in taken:
                continue
            try:
                os.link(tmp, docs_dir / f"{name}.md")
                return docs_dir / f"{name}.md"
            except FileExistsError:
                continue
        raise SourceError(f"{docs_dir}: too many articles named {stem}")
    except OSError as exc:
        raise SourceError(f"cannot write in {docs_dir} ({exc.strerror or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)


def _file_name(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title.casefold())).strip("-")
    return slug[:NAME_CHARS].rstrip("-") or "article"
