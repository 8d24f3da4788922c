"""An engine that follows its articles folder while the console or the Telegram bot runs.

Before a question it scans the folder (the names, sizes and change times the saved index
is checked against at start-up) and, when articles were added, changed or removed, loads
the index again: `index.store.load` updates or rebuilds it and says so in one line on
stderr. Scanning a folder of a few hundred articles takes well under a millisecond, so it
is done before every question; an archive's scan takes longer and is done at most once per
hundred times its cost, so that checking never takes more than 1% of the time. A reload
that takes longer than a tenth of a second waits as long again before the next one, so
that a folder that never stops changing still leaves most of the time to answering.

Whatever the folder does meanwhile, the bot keeps answering: a file written to in the
last second is left for a later check (it may be half written), a file that cannot be
read is named once on stderr and skipped, and a reload that fails leaves the articles
loaded before.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from index.articles import one_line, unread_warning
from index.options import IndexOptions
from index.pipeline import ArticleInfo
from index.store import Folder, IndexDamaged, load, scan

from .engine import Engine, IndexStats
from .engine.answer import Answer, Topic

if TYPE_CHECKING:
    from index.encoder import Encoder

ALWAYS_CHECK_SECONDS = 0.001  # a scan faster than this runs before every question
CHECK_SHARE = 0.01  # a slower one may take this share of the time at most
ALWAYS_RELOAD_SECONDS = 0.1  # a reload faster than this may follow the previous one at once
SETTLE_SECONDS = 1.0  # a file written to more recently than this may still be being written
# Reading a question costs time by the word (each of its phrases is looked up in the
# dictionaries): a pasted page of 10,000 words took 41 s. Past these, a question is cut.
MAX_QUESTION_CHARS = 2000
MAX_QUESTION_WORDS = 150


def bounded(question: str) -> str:
    """The question, cut to its first MAX_QUESTION_WORDS words and MAX_QUESTION_CHARS characters with a note
    on stderr, so that no question keeps the bot from answering the next one for long."""
    whole = " ".join(question.split())
    kept = " ".join(whole.split(" ")[:MAX_QUESTION_WORDS])[:MAX_QUESTION_CHARS]
    if kept != whole:
        print(f"note: the question was cut to its first {len(kept.split())} words ({len(kept):,} characters; "
              f"the limit is {MAX_QUESTION_WORDS} words or {MAX_QUESTION_CHARS:,} characters)", file=sys.stderr)
    return kept


def say_rebuilding(exc: IndexDamaged) -> None:
    print(one_line(f"index: the index failed while answering ({exc}); rebuilding"), file=sys.stderr)


class LiveEngine:
    """Answers like the `Engine` it holds, which it reloads first when the folder changed."""

    def __init__(self, docs_dir: Path, index_dir: Path | None = None, backend: str = "auto",
                 options: IndexOptions = IndexOptions(), encoder: Encoder | None = None):
        """`encoder`: the sentence encoder the index keeps vectors of and questions are encoded with."""
        self._docs = Path(docs_dir)
        self._encoder = encoder
        self._index_dir = index_dir
        self._backend = backend
        self._options = options
        self._told: frozenset[str] = frozenset()  # the problems said and still current
        self._next_check = self._next_reload = 0.0
        self._reported = ""
        started = time.perf_counter()
        folder = scan(self._docs, SETTLE_SECONDS)
        self._checked(time.perf_counter() - started)  # the first question need not scan the folder again
        self.engine = self._load(folder)
        self._lock = threading.Lock()  # one reload at a time; the other chats answer from the loaded index

    @property
    def articles(self) -> list[ArticleInfo]:
        return self._current().articles

    def stats(self) -> IndexStats:
        return self._current().stats()

    def refresh(self) -> None:
        self._next_check = self._next_reload = 0.0

    def answer(self, question: str, topic: Topic | None = None, language: str | None = None,
               fallback_language: str = "en") -> Answer:
        question = bounded(question)
        engine = self._current()
        try:
            return engine.answer(question, topic, language, fallback_language)
        except IndexDamaged as exc:  # files of a disk index damaged under it (or a library panic): rebuilt, asked again
            with self._lock:
                if self.engine is engine:  # not rebuilt by another chat meanwhile
                    say_rebuilding(exc)
                    self.engine = self._load(scan(self._docs, SETTLE_SECONDS), rebuild=True)
            return self.engine.answer(question, topic, language, fallback_language)

    def _current(self) -> Engine:
        if time.monotonic() < self._next_check or not self._lock.acquire(blocking=False):
            return self.engine
        try:
            self._check()
        except Exception as exc:  # the folder went away, a shard server is down, the disk is full...
            self._report(f"{exc or type(exc).__name__}; answering from the articles loaded before")
        finally:
            self._lock.release()
        return self.engine

    def _check(self) -> None:
        started = time.perf_counter()
        folder = scan(self._docs, SETTLE_SECONDS)
        self._checked(time.perf_counter() - started)
        settled = {name: stamp for name, stamp in self._seen.items() if name not in folder.settling}
        if folder.articles != settled and time.monotonic() >= self._next_reload:
            self.engine = self._load(folder)
        else:  # without a reload, only the problems not said yet are said
            current = self._problems(folder)
            for message in current:
                if message not in self._told:
                    print(one_line(f"index: {message}"), file=sys.stderr)
            self._told = frozenset(current) | frozenset(self._index_problems)
        self._reported = ""

    def _checked(self, cost: float) -> None:
        """When to scan next, after a scan that took `cost` seconds."""
        self._next_check = time.monotonic() + (cost / CHECK_SHARE if cost > ALWAYS_CHECK_SECONDS else 0)

    def _load(self, folder: Folder, rebuild: bool = False) -> Engine:
        started = time.perf_counter()
        try:
            index = load(self._docs, self._index_dir, rebuild, self._backend, self._options, scanned=folder,
                         told=self._told, encoder=self._encoder)
        finally:  # a reload that fails is not retried at once either
            cost = time.perf_counter() - started
            self._next_reload = time.monotonic() + (cost if cost > ALWAYS_RELOAD_SECONDS else 0)
        self._seen = index.fingerprint  # what the index holds: a file it could not read whole differs, and is read again
        self._index_problems = index.problems
        self._told = frozenset(self._problems(folder)) | frozenset(index.problems)
        return Engine(index, encoder=self._encoder)

    @staticmethod
    def _problems(folder: Folder) -> list[str]:
        return [*map(unread_warning, folder.unread), *folder.problems]

    def _report(self, message: str) -> None:
        """Says why the folder cannot be followed, once, not before every question."""
        if message != self._reported:
            print(one_line(f"index: {message}"), file=sys.stderr)
            self._reported = message
