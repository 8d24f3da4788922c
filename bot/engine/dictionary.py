"""A general English–Vietnamese dictionary (Wiktionary's), for questions asked across languages.

The domain glossary knows a few hundred phrases of city diplomacy; a question about
rivers, kings or prime numbers needs a general dictionary. Each English headword maps
to its Vietnamese translations and each Vietnamese translation back to its headwords,
so one table serves both directions. Multi-syllable Vietnamese translations also tell
which syllables of a Vietnamese question form one word ("số nguyên tố").

Keys are folded word tuples (English ones stemmed), the way questions are matched.
The parsed tables live in an SQLite file in the cache folder, built once per version of
the sources: a question looks up a few dozen keys, where unpickling all 200,000 entries
cost a one-shot `ask` more than everything else it does.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from index.tokenize import fold, stem, words

from .cached import cached_file

SOURCE = Path(__file__).parent / "data" / "wiktionary-en-vi" / "en-vi-enwiktionary.txt"
WORDS = Path(__file__).parent / "data" / "vietnamese-words" / "words.txt"
# Longer "translations" are explanations, not words a text would use.
MAX_TRANSLATION_WORDS = 4
MAX_HEADWORD_WORDS = 3
_LINE = re.compile(r"^(?P<head>[^{]+?)\s*\{(?P<pos>[^}]*)\}.*?::\s*(?P<vi>.*)$")
_PARENS = re.compile(r"\([^)]*\)|（[^）]*）")


@lru_cache(maxsize=131072)
def _piece_keys(piece: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The syllables of text without spaces, as written and as `en_key` folds them."""
    said = tuple(words(piece))
    return said, tuple(stem(fold(w)) for w in said)


@lru_cache(maxsize=65536)
def vi_key(phrase: str) -> tuple[str, ...]:
    """Syllables as written (normalized): "đã hội" (have met) is not "dạ hội" (a ball).

    No word spans whitespace, so each piece between spaces is normalized once, whichever of the
    many phrases matched against the tables it is part of.
    """
    return tuple(w for piece in phrase.split() for w in _piece_keys(piece)[0])


@lru_cache(maxsize=65536)
def en_key(phrase: str) -> tuple[str, ...]:
    """`vi_key`'s syllables folded, and English words stemmed."""
    return tuple(w for piece in phrase.split() for w in _piece_keys(piece)[1])


SEPARATOR = "\n"  # between the phrases of one entry; a key's words are joined by spaces
TABLES = ("en_vi", "vi_en", "vi_words", "vi_folded")


class Dictionary:
    def __init__(self, path: Path):
        # SQLite is built serialized (sqlite3.threadsafety == 3): the Telegram bot's threads may share it.
        self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._get = lru_cache(maxsize=65536)(self._lookup)
        self._known: dict[tuple[str, ...], bool] = {}  # `words_among`'s answers so far
        self._tables: dict[str, dict[str, str]] | None = None  # every row, once `read_whole` has read them

    def read_whole(self) -> None:
        """Every row in memory, for a bot that answers many questions: each new one looks up a few dozen
        keys and checks its candidates' words, 1.3 ms of a first answer at 100k paragraphs from SQLite.
        Reading them all takes about 60 ms and 15 MB."""
        self._tables = {name: dict(self._db.execute(f"SELECT key, value FROM {name}")) for name in TABLES}

    def _lookup(self, table: str, key: tuple[str, ...]) -> tuple[str, ...] | None:
        if len(key) > MAX_TRANSLATION_WORDS:  # no table has a longer key: a question's longer phrases are not asked
            return None
        if self._tables is not None:
            value = self._tables[table].get(" ".join(key))
        else:
            row = self._db.execute(f"SELECT value FROM {table} WHERE key = ?", (" ".join(key),)).fetchone()
            value = None if row is None else row[0]
        return None if value is None else tuple(value.split(SEPARATOR)) if value else ()

    def longest(self, language: str) -> int:
        return MAX_HEADWORD_WORDS if language == "en" else MAX_TRANSLATION_WORDS

    def _vi_keys(self, syllables: tuple[str, ...], accented: bool) -> tuple[tuple[str, ...], ...]:
        """A question typed with diacritics means what it says; one typed without may mean any
        word that folds the same way."""
        if accented:
            return (syllables,)
        return tuple(tuple(k.split(" ")) for k in self._get("vi_folded", tuple(fold(s) for s in syllables)) or ())

    def is_word(self, syllables: tuple[str, ...], accented: bool) -> bool:
        return any(self._get("vi_words", key) is not None for key in self._vi_keys(syllables, accented))

    def words_among(self, keys: set[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
        """Which of these syllables, as written, are Vietnamese words: asked in one statement, as a
        question's candidate sentences may need hundreds and SQLite answers a list faster than each."""
        if self._tables is not None:
            words = self._tables["vi_words"]
            return frozenset(k for k in keys if " ".join(k) in words)
        unknown = [k for k in keys if k not in self._known]
        for start in range(0, len(unknown), 500):
            chunk = unknown[start:start + 500]
            found = {row[0] for row in self._db.execute(
                f"SELECT key FROM vi_words WHERE key IN ({','.join('?' * len(chunk))})", [" ".join(k) for k in chunk])}
            if len(self._known) > 65536:
                self._known.clear()
            self._known.update((k, " ".join(k) in found) for k in chunk)
        return frozenset(k for k in keys if self._known[k])

    def translate(self, phrase: tuple[str, ...], language: str, accented: bool = True) -> tuple[str, ...]:
        """Phrases of the other language for the words `phrase` of `language`."""
        if language == "en":
            return self._get("en_vi", en_key(" ".join(phrase))) or ()
        found = (self._get("vi_en", key) or () for key in self._vi_keys(phrase, accented))
        return tuple(dict.fromkeys(t for translations in found for t in translations))


def _parse(text: str, vietnamese_words: str) -> dict[str, dict[tuple[str, ...], tuple[str, ...]]]:
    en_vi: dict[tuple[str, ...], list[str]] = {}
    vi_en: dict[tuple[str, ...], list[str]] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match or line.startswith("#"):
            continue
        head = match["head"].strip()
        if not 0 < len(vi_key(head)) <= MAX_HEADWORD_WORDS:  # vi_key: the words, split once per phrase
            continue
        for raw in _PARENS.sub(" ", match["vi"]).split(","):
            phrase = " ".join(raw.split())
            if not 0 < len(vi_key(phrase)) <= MAX_TRANSLATION_WORDS:
                continue
            targets = en_vi.setdefault(en_key(head), [])
            if phrase not in targets:
                targets.append(phrase)
            heads = vi_en.setdefault(vi_key(phrase), [])
            if head not in heads:
                heads.append(head)
    several = {vi_key(line) for line in vietnamese_words.splitlines()}
    several = {key for key in several if 1 < len(key) <= MAX_TRANSLATION_WORDS} | {k for k in vi_en if len(k) > 1}
    folded: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in several | set(vi_en):
        folded.setdefault(tuple(fold(s) for s in key), []).append(key)
    return {"en_vi": {k: tuple(v) for k, v in en_vi.items()}, "vi_en": {k: tuple(v) for k, v in vi_en.items()},
            "vi_words": dict.fromkeys(several, ()),
            "vi_folded": {k: tuple(" ".join(key) for key in sorted(v)) for k, v in folded.items()}}


def _write(path: Path) -> None:
    tables = _parse(SOURCE.read_text("utf-8"), WORDS.read_text("utf-8"))
    with sqlite3.connect(path) as db:
        for name in TABLES:
            db.execute(f"CREATE TABLE {name} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            db.executemany(f"INSERT INTO {name} VALUES (?, ?)",
                           ((" ".join(k), SEPARATOR.join(v)) for k, v in tables[name].items()))
    db.close()


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    path = cached_file("dictionary", ".sqlite", [SOURCE, WORDS, Path(__file__)], _write)
    try:
        found = Dictionary(path)
        found.translate(("city",), "en")
        return found
    except sqlite3.DatabaseError:  # a damaged cache file: made again
        path.unlink(missing_ok=True)
        return Dictionary(cached_file("dictionary", ".sqlite", [SOURCE, WORDS, Path(__file__)], _write))
