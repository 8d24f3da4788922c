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
    """Syllables as written (normalized): "đã hội" (have met) is not "dạ hội" (a ball)."""
    return tuple(words(phrase))


@dataclass(frozen=True)
class Dictionary:
    en_vi: dict[tuple[str, ...], tuple[str, ...]]  # English key -> Vietnamese phrases
    vi_en: dict[tuple[str, ...], tuple[str, ...]]  # Vietnamese key -> English headwords
    vi_words: frozenset[tuple[str, ...]]  # Vietnamese words of several syllables
    vi_folded: dict[tuple[str, ...], tuple[tuple[str, ...], ...]]  # folded key -> the keys it may stand for

    def longest(self, language: str) -> int:
        return MAX_HEADWORD_WORDS if language == "en" else MAX_TRANSLATION_WORDS

    def _vi_keys(self, syllables: tuple[str, ...], accented: bool) -> tuple[tuple[str, ...], ...]:
        """A question typed with diacritics means what it says; one typed without may mean any
        word that folds the same way."""
        return (syllables,) if accented else self.vi_folded.get(tuple(fold(s) for s in syllables), ())

    def is_word(self, syllables: tuple[str, ...], accented: bool) -> bool:
        return any(key in self.vi_words for key in self._vi_keys(syllables, accented))

    def translate(self, phrase: tuple[str, ...], language: str, accented: bool = True) -> tuple[str, ...]:
        """Phrases of the other language for the words `phrase` of `language`."""
        if language == "en":
            return self.en_vi.get(en_key(" ".join(phrase)), ())
        found = (self.vi_en.get(key, ()) for key in self._vi_keys(phrase, accented))
        return tuple(dict.fromkeys(t for translations in found for t in translations))


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
    several = {key for key in several if 1 < len(key) <= MAX_TRANSLATION_WORDS} | {k for k in vi_en if len(k) > 1}
    folded: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in several | set(vi_en):
        folded.setdefault(tuple(fold(s) for s in key), []).append(key)
    return Dictionary({k: tuple(v) for k, v in en_vi.items()}, {k: tuple(v) for k, v in vi_en.items()},
                      frozenset(several), {k: tuple(sorted(v)) for k, v in folded.items()})


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    return cached("dictionary", [SOURCE, WORDS, Path(__file__)],
                  lambda: _parse(SOURCE.read_text("utf-8"), WORDS.read_text("utf-8")))
