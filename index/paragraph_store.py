"""Paragraphs and article records of a large index, on disk in SQLite.

A search engine's index answers "which paragraphs, how well"; the text to quote,
each article's words and what was indexed from which file live here, so an index
of a million paragraphs costs a process little memory, several processes can
share one file read-only, and one article can be replaced without touching the
rest. Paragraph ids are never reused, so a stale id cannot name another paragraph.
"""
from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from . import word_keys
from .chunk import Paragraph
from .pipeline import ArticleInfo, ProcessedArticle
from .proper import ProperCounts

STORE_FILE = "paragraphs.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY, file TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    title TEXT NOT NULL, language TEXT NOT NULL, publisher TEXT NOT NULL, paragraphs INTEGER NOT NULL,
    date TEXT, url TEXT NOT NULL);
-- Kept apart from `articles`, which every start reads whole: these rows are large (kilobytes an article).
CREATE TABLE IF NOT EXISTS article_proper (doc_id TEXT PRIMARY KEY, proper BLOB NOT NULL);
-- Which words an article has, as `word_keys` packs them: one row an article, read for a question's few words.
CREATE TABLE IF NOT EXISTS article_words (doc_id TEXT PRIMARY KEY, words BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS paragraphs (
    pid INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, number INTEGER NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, language TEXT NOT NULL, part_tokens TEXT NOT NULL,
    part_words TEXT NOT NULL, part_facts TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS paragraphs_by_doc ON paragraphs (doc_id, number);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value BLOB NOT NULL);
"""
# A Paragraph's stored columns, with its article's title, date and address joined in (one query, not one an article).
_READ = ("p.doc_id, number, kind, text, p.language, part_tokens, part_words, part_facts, coalesce(title, ''), date, "
         "coalesce(url, '') FROM paragraphs p LEFT JOIN articles a ON a.doc_id = p.doc_id")


class ParagraphStore:
    def __init__(self, folder: Path, writable: bool = False):
        path = Path(folder) / STORE_FILE
        if writable:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            # A generation is written by this process alone before anything reads it, and thrown away if writing
            # fails: no journal (a write-ahead log doubled what a build writes, and left readers its -wal/-shm files).
            self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=NORMAL;" + _SCHEMA)
        else:
            if not path.exists():
                raise FileNotFoundError(path)
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)

    def close(self) -> None:
        self._db.close()

    # Writing: one transaction per batch, so a crash leaves the store as it was.

    def begin(self) -> None:
        self._db.execute("BEGIN")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def add(self, file: str, stat: tuple[int, int], article: ProcessedArticle) -> list[int]:
        """Store an article's paragraphs and its words' keys (`word_keys`); returns the paragraphs' new ids in order.

        `stat` is the file's (size, mtime_ns) from before it was read: a file edited
        meanwhile then looks changed next time, instead of stale for good.
        """
        info = article.info
        self._db.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?)",
            (info.doc_id, file, *stat, info.title, info.language, info.publisher, info.paragraphs, info.date, info.url))
        self._db.execute("INSERT INTO article_proper VALUES (?,?)", (info.doc_id, pickle.dumps(article.proper)))
        self._db.execute("INSERT INTO article_words VALUES (?,?)", (info.doc_id, article.word_keys))
        row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'paragraphs'").fetchone()
        first = (row[0] if row else 0) + 1  # AUTOINCREMENT's counter: ids of deleted paragraphs stay unused
        pids = list(range(first, first + len(article.paragraphs)))
        self._db.executemany("INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?,?)",
                             [(pid, p.doc_id, p.number, p.kind, p.text, p.language, p.part_tokens, p.part_words,
                               p.part_facts)
                              for pid, p in zip(pids, article.paragraphs)])
        return pids

    def remove(self, doc_id: str) -> ProperCounts | None:
        """Forget an article; returns its capitalisation counts to subtract, None if it was not stored."""
        row = self._db.execute("SELECT proper FROM article_proper WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        for table in ("paragraphs", "articles", "article_proper", "article_words"):
            self._db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        return pickle.loads(row[0])

    def set(self, key: str, value) -> None:
        self._db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (key, pickle.dumps(value)))

    def get(self, key: str, default=None):
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row else default

    # Reading.

    def fingerprint(self) -> dict[str, tuple[int, int]]:
        """What was indexed from which file: {file name: (size, mtime_ns)}, as `store.fingerprint` reads a folder."""
        return {name: (size, mtime) for name, size, mtime in
                self._db.execute("SELECT file, size, mtime_ns FROM articles")}

    def doc_ids(self) -> dict[str, str]:
        """{file name: doc id} of the stored articles."""
        return dict(self._db.execute("SELECT file, doc_id FROM articles"))

    def articles(self) -> list[ArticleInfo]:
        rows = self._db.execute("SELECT doc_id, title, language, publisher, paragraphs, date, url FROM articles "
                                "ORDER BY file")
        return [ArticleInfo(*row) for row in rows]

    def article_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def languages(self) -> frozenset[str]:
        return frozenset(language for language, in self._db.execute("SELECT DISTINCT language FROM articles"))

    def paragraphs_in(self, files) -> int:
        """How many paragraphs the stored articles of these files have."""
        wanted = set(files)
        return sum(n for file, n in self._db.execute("SELECT file, paragraphs FROM articles") if file in wanted)

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM paragraphs").fetchone()[0]

    @staticmethod
    def _paragraph(row) -> Paragraph:
        doc_id, number, kind, text, language, part_tokens, part_words, part_facts, title, date, url = row
        return Paragraph(doc_id, number, kind, text, language, title, part_tokens, part_words, part_facts, date, url)

    def paragraphs(self, pids: list[int]) -> dict[int, Paragraph]:
        marks = ",".join("?" * len(pids))
        rows = self._db.execute(f"SELECT pid, {_READ} WHERE pid IN ({marks})", pids)
        return {row[0]: self._paragraph(row[1:]) for row in rows}

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        rows = self._db.execute(f"SELECT {_READ} WHERE p.doc_id = ? ORDER BY number", (doc_id,))
        return [self._paragraph(row) for row in rows]

    def article_words(self, doc_ids, among: frozenset[str]) -> dict[str, frozenset[str]]:
        """Which of the words `among` each article has: one row an article, the words found in it by their keys."""
        found: dict[str, frozenset[str]] = {doc: frozenset() for doc in doc_ids}
        if found and among:
            lookup = word_keys.Lookup(among)
            rows = self._db.execute(f"SELECT doc_id, words FROM article_words WHERE doc_id IN ({','.join('?' * len(found))})",
                                    tuple(found))
            for doc, packed in rows:
                found[doc] = lookup.found_in(packed)
        return found


class StoredArticles(Sequence[ArticleInfo]):
    """A disk index's article list, read whole only when something goes through it (`/articles`): a question
    needs at most their count and languages, and reading 50,000 rows was a sixth of a cold `ask` at a million
    paragraphs. `owner` is what keeps the store open (its generation's retriever), held for as long as this is."""

    def __init__(self, store: ParagraphStore, owner: object):
        self._store = store
        self._owner = owner
        self._rows: list[ArticleInfo] | None = None

    def _all(self) -> list[ArticleInfo]:
        if self._rows is None:
            self._rows = self._store.articles()
        return self._rows

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else self._store.article_count()

    def __getitem__(self, i):
        return self._all()[i]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def languages(self) -> frozenset[str]:
        return self._store.languages()
