"""An engine that follows its articles folder while the console or the Telegram bot runs.

Before a question it scans the folder (the names, sizes and modification times the saved
index is checked against at start-up) and, when articles were added, changed or removed,
loads the index again: `index.store.load` updates or rebuilds it and says so in one line
on stderr. Scanning a folder of a few hundred articles takes well under a millisecond, so
it is done before every question; an archive's scan takes longer and is done at most once
per hundred times its cost, so that checking never takes more than 1% of the time.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from index.articles import DocsError, unread_warning
from index.options import IndexOptions
from index.pipeline import ArticleInfo
from index.store import scan

from .engine import Engine, IndexStats
from .engine.answer import Answer, Topic

ALWAYS_CHECK_SECONDS = 0.001  # a scan faster than this runs before every question
CHECK_SHARE = 0.01  # a slower one may take this share of the time at most


class LiveEngine:
    """Answers like the `Engine` it holds, which it reloads first when the folder changed."""

    def __init__(self, docs_dir: Path, index_dir: Path | None = None, backend: str = "auto",
                 options: IndexOptions = IndexOptions()):
        self._docs = Path(docs_dir)
        self._index_dir = index_dir
        self._backend = backend
        self._options = options
        self._seen, self._unread = scan(self._docs)
        self.engine = self._load()
        self._next_check = 0.0
        self._reported = ""
        self._lock = threading.Lock()  # one reload at a time; the other chats answer from the loaded index

    @property
    def articles(self) -> list[ArticleInfo]:
        return self._current().articles

    def stats(self) -> IndexStats:
        return self._current().stats()

    def answer(self, question: str, topic: Topic | None = None, language: str | None = None,
               fallback_language: str = "en") -> Answer:
        return self._current().answer(question, topic, language, fallback_language)

    def _current(self) -> Engine:
        if time.monotonic() < self._next_check or not self._lock.acquire(blocking=False):
            return self.engine
        try:
            self._check()
        except (DocsError, ConnectionError) as exc:  # the folder went away, a shard server is down
            self._report(f"{exc}; answering from the articles loaded before")
        finally:
            self._lock.release()
        return self.engine

    def _check(self) -> None:
        started = time.perf_counter()
        articles, unread = scan(self._docs)
        cost = time.perf_counter() - started
        self._next_check = time.monotonic() + (cost / CHECK_SHARE if cost > ALWAYS_CHECK_SECONDS else 0)
        if articles != self._seen:
            self.engine = self._load()
        else:  # a reload names every unread file; without one, only the new ones are named
            for path in sorted(set(unread) - set(self._unread)):
                print(f"index: {unread_warning(path)}", file=sys.stderr)
        self._seen, self._unread, self._reported = articles, unread, ""

    def _load(self) -> Engine:
        return Engine.from_folder(self._docs, self._index_dir, backend=self._backend, options=self._options)

    def _report(self, message: str) -> None:
        """Says why the folder cannot be followed, once, not before every question."""
        if message != self._reported:
            print(f"index: {message}", file=sys.stderr)
            self._reported = message
