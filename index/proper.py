"""Which words the articles write capitalised inside a sentence: names, places, titles.

A question about "Phnom Penh" is not answered by a sentence about Hanoi, however
well the rest matches; knowing which question words are names lets the engine
insist on them. Case is read from the articles, so it works for questions typed
in lower case or without diacritics.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .tokenize import fold

# Every word of a text; only the mid-sentence ones are captured. A word at the start of
# the text (or after a lone newline) or after one of .!?:;“"( and spaces starts a
# sentence or a quote: its capital says nothing. Matched in the same pass so that the
# scan stays linear in the length of the text.
_WORDS = re.compile(r"(?:^\n?|[.!?:;“\"(]\s*)[^\W\d_]+|([^\W\d_]+)")
MIN_SHARE = 0.6


class ProperCounts:
    """Mid-sentence uses of each word as written, over any number of texts.

    Counts of several texts add up and can be taken away again, so that an index
    updated article by article can keep each article's counts and still get the
    same words as proper_words over all of them.
    """

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._uses: Counter[str] = Counter()
        for text in texts:
            self.add(text)

    def add(self, text: str) -> None:
        self._uses.update(filter(None, _WORDS.findall(text)))

    def merge(self, other: ProperCounts) -> None:
        """Add `other`'s counts."""
        self._uses.update(other._uses)  # in place: `+=` rebuilds the whole counter per article

    def subtract(self, other: ProperCounts) -> None:
        """Take away `other`'s counts (counts never go below zero)."""
        self._uses -= other._uses

    def words(self) -> frozenset[str]:
        """Folded, lower-case words capitalised in at least MIN_SHARE of their mid-sentence uses."""
        capital, seen = Counter(), Counter()
        for word, n in self._uses.items():
            key = fold(word.casefold())
            seen[key] += n
            if word[0].isupper():
                capital[key] += n
        return frozenset(w for w, n in capital.items() if n / seen[w] >= MIN_SHARE)


def proper_words(texts: Iterable[str]) -> frozenset[str]:
    """Folded, lower-case words capitalised in at least MIN_SHARE of their mid-sentence uses."""
    return ProperCounts(texts).words()
