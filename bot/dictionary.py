"""A general English–Vietnamese dictionary (Wiktionary's), for questions asked across languages.

The domain glossary knows a few hundred phrases of city diplomacy; a question about
rivers, kings or prime numbers needs a general dictionary. Each English headword maps
to its Vietnamese translations and each Vietnamese translation back to its headwords,
so one table serves both directions. Multi-syllable Vietnamese translations also tell
which syllables of a Vietnamese question form one word ("số nguyên tố").

Keys are folded word tuples (English ones stemmed), the way questions are matched.
The parsed tables are cached on disk like the glossary's keys.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.tokenize import fold, stem, words

from .cached import cached

SOURCE = Path(__file__).parent / "data" / "wiktionary-en-vi" / "en-vi-enwiktionary.txt"
WORDS = Path(__file__).parent / "data" / "vietnamese-words" / "words.txt"
# Longer "translations" are explanations, not words a text would use.
MAX_TRANSLATION_WORDS = 4
MAX_HEADWORD_WORDS = 3
_LINE = re.compile(r"^(?P<head>[^{]+?)\s*\{(?P<pos>[^}]*)\}.*?::\s*(?P<vi>.*)$")
_PARENS = re.compile(r"\([^)]*\)|（[^）]*）")


@lru_cache(maxsize=65536)
def en_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(fold(w)) for w in words(phrase))


@lru_cache(maxsize=65536)
def vi_key(phrase: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words(phrase))


@dataclass(frozen=True)
class Dictionary:
    en_vi: dict[tuple[str, ...], tuple[str, ...]]  # English key -> Vietnamese phrases
    vi_en: dict[tuple[str, ...], tuple[str, ...]]  # Vietnamese key -> English headwords
    vi_words: frozenset[tuple[str, ...]]  # Vietnamese words of several syllables, folded

    def longest(self, language: str) -> int:
        return MAX_HEADWORD_WORDS if language == "en" else MAX_TRANSLATION_WORDS

    def translate(self, key: tuple[str, ...], language: str) -> tuple[str, ...]:
        """Phrases of the other language for a key of `language`."""
        return (self.en_vi if language == "en" else self.vi_en).get(key, ())


def _parse(text: str, vietnamese_words: str) -> Dictionary:
    en_vi: dict[tuple[str, ...], list[str]] = {}
    vi_en: dict[tuple[str, ...], list[str]] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match or line.startswith("#"):
            continue
        head = match["head"].strip()
        if not 0 < len(words(head)) <= MAX_HEADWORD_WORDS:
            continue
        for raw in _PARENS.sub(" ", match["vi"]).split(","):
            phrase = " ".join(raw.split())
            if not 0 < len(words(phrase)) <= MAX_TRANSLATION_WORDS:
                continue
            targets = en_vi.setdefault(en_key(head), [])
            if phrase not in targets:
                targets.append(phrase)
            heads = vi_en.setdefault(vi_key(phrase), [])
            if head not in heads:
                heads.append(head)
    several = {vi_key(line) for line in vietnamese_words.splitlines()}
    several = {key for key in several if 1 < len(key) <= MAX_TRANSLATION_WORDS}
    return Dictionary({k: tuple(v) for k, v in en_vi.items()}, {k: tuple(v) for k, v in vi_en.items()},
                      frozenset(several | {k for k in vi_en if len(k) > 1}))


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    return cached("dictionary", [SOURCE, WORDS, Path(__file__)],
                  lambda: _parse(SOURCE.read_text("utf-8"), WORDS.read_text("utf-8")))
