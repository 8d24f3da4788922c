"""Build the index from a folder of articles, save it, and reload it when still fresh.

The saved file carries a format version and a fingerprint of the articles (name,
size, modification time) and of the indexing code, so `ask` reuses it without
re-tokenizing and a changed folder or a corrupt file is rebuilt with a warning.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .articles import (
    ArticleError,
    DocsError,
    article_files,
    max_article_bytes,
    read_article,
)
from .chunk import Paragraph, number_blocks
from .clean import clean
from .proper import proper_words
from .search import Bm25Search
from .tokenize import analyze

FORMAT_VERSION = 3
INDEX_FILE = "index.pkl"


@dataclass
class ArticleInfo:
    doc_id: str
    title: str
    language: str
    publisher: str
    paragraphs: int


@dataclass
class Index:
    docs_dir: str
    fingerprint: dict[str, tuple[int, int]]
    code_version: str
    paragraphs: list[Paragraph]
    search: Bm25Search
    articles: list[ArticleInfo]
    proper: frozenset[str] = frozenset()
    # Every folded token of each article: what the article as a whole speaks of.
    article_tokens: dict[str, frozenset[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    format_version: int = FORMAT_VERSION


def _code_version() -> str:
    digest = hashlib.sha1()
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *here.glob("data/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(docs_dir: Path) -> dict[str, tuple[int, int]]:
    if not docs_dir.exists():
        raise DocsError(f"docs folder not found: {docs_dir}")
    if not docs_dir.is_dir():
        raise DocsError(f"not a folder: {docs_dir}")
    result = {}
    for path in article_files(docs_dir):
        stat = path.stat()
        result[path.name] = (stat.st_size, stat.st_mtime_ns)
    return result


def build(docs_dir: Path) -> Index:
    docs_dir = Path(docs_dir)
    prints = fingerprint(docs_dir)
    max_bytes = max_article_bytes()
    paragraphs: list[Paragraph] = []
    articles, problems = [], []
    for path in article_files(docs_dir):
        try:
            article = read_article(path, max_bytes)
        except ArticleError as exc:
            problems.append(str(exc))
            continue
        blocks = clean(article.lines, article.title)
        numbered = number_blocks(article.doc_id, article.title, article.language, blocks)
        if not any(p.kind in ("lead", "body") for p in numbered):
            problems.append(f"{path}: no article text found (only page chrome?); skipped")
            continue
        paragraphs.extend(numbered)
        articles.append(ArticleInfo(article.doc_id, numbered[0].title, article.language,
                                    article.publisher, len(numbered)))
    tokens = [analyze(p.text, p.language) for p in paragraphs]
    by_article: dict[str, set[str]] = {}
    for paragraph, toks in zip(paragraphs, tokens):
        by_article.setdefault(paragraph.doc_id, set()).update(toks.folded)
    return Index(
        docs_dir=str(docs_dir.resolve()),
        fingerprint=prints,
        code_version=_code_version(),
        paragraphs=paragraphs,
        search=Bm25Search(paragraphs, tokens),
        articles=articles,
        proper=proper_words(p.text for p in paragraphs if p.kind != "title"),
        article_tokens={doc: frozenset(toks) for doc, toks in by_article.items()},
        problems=problems,
    )


def cache_dir() -> Path:
    """Where the bot keeps what it can rebuild: indexes, compiled templates, console history."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "citebot"


def default_index_dir(docs_dir: Path) -> Path:
    """A per-folder cache directory, so several docs folders never share an index."""
    base = cache_dir()
    key = hashlib.sha1(str(Path(docs_dir).resolve()).encode()).hexdigest()[:12]
    return base / key


def save(index: Index, index_dir: Path) -> Path:
    """Write atomically: a crash mid-write leaves the previous index in place."""
    index_dir.mkdir(parents=True, exist_ok=True)
    target = index_dir / INDEX_FILE
    fd, tmp = tempfile.mkstemp(dir=index_dir, prefix=".index-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _describe_change(old: dict, new: dict) -> str:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(n for n in set(old) & set(new) if old[n] != new[n])
    parts = [f"{label} {', '.join(names)}" for label, names in
             (("added", added), ("changed", changed), ("removed", removed)) if names]
    return "; ".join(parts) or "indexing code changed"


def _warn(message: str) -> None:
    print(f"index: {message}", file=sys.stderr)


def load(docs_dir: Path, index_dir: Path | None = None, rebuild: bool = False) -> Index:
    """The saved index if it matches the folder, else a fresh one (saved for next time)."""
    docs_dir = Path(docs_dir)
    index_dir = Path(index_dir) if index_dir else default_index_dir(docs_dir)
    current = fingerprint(docs_dir)
    path = index_dir / INDEX_FILE
    if path.exists() and not rebuild:
        try:
            with path.open("rb") as f:
                index = pickle.load(f)
            if not isinstance(index, Index) or index.format_version != FORMAT_VERSION:
                raise ValueError("unknown format")
        except Exception as exc:  # any unreadable file is rebuilt, whatever broke it
            _warn(f"saved index at {path} is unreadable ({type(exc).__name__}); rebuilding")
        else:
            if index.fingerprint == current and index.code_version == _code_version():
                return index
            _warn(f"articles changed ({_describe_change(index.fingerprint, current)}); rebuilding")
    index = build(docs_dir)
    for problem in index.problems:
        _warn(problem)
    try:
        save(index, index_dir)
    except OSError as exc:
        _warn(f"could not save the index in {index_dir} ({exc.strerror or exc}); answering from memory")
    return index
