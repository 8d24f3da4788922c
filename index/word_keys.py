"""An article's words in one row: their 64-bit keys, sorted, so that a question's few words are found by
binary search in what one read returns.

A row per (article, word) was 13.8 million rows at 100,000 paragraphs and 40% of building an archive; the
words as text, one a line, were quick to write but slow to search (1.8 ms a question for 15 articles). A key
is the first 8 bytes of the word's BLAKE2b: a word an article lacks matches one of its few thousand keys about
once in 10^15 lookups, and would then count as the article's (the only way this can differ from the words).
"""
from __future__ import annotations

from collections.abc import Iterable
from hashlib import blake2b

import numpy as np

_KEY = np.dtype("<u8")


def _keys(words: Iterable[str]) -> np.ndarray:
    return np.frombuffer(b"".join([blake2b(w.encode(), digest_size=8).digest() for w in words]), dtype=_KEY)


def pack(words: Iterable[str]) -> bytes:
    """The words' keys, sorted, as stored; `np.unique` took four times as long as sorting and dropping repeats."""
    keys = np.sort(_keys(words))
    repeated = np.zeros(len(keys), dtype=bool)
    repeated[1:] = keys[1:] == keys[:-1]
    return keys[~repeated].tobytes()


class Lookup:
    """A question's words, keyed once, looked up in any number of packed rows."""

    def __init__(self, words: Iterable[str]):
        self._words = list(words)
        self._keys = _keys(self._words)

    def found_in(self, packed: bytes) -> frozenset[str]:
        stored = np.frombuffer(packed, dtype=_KEY)
        if not len(stored) or not self._words:
            return frozenset()
        at = np.minimum(np.searchsorted(stored, self._keys), len(stored) - 1)
        return frozenset(w for w, hit in zip(self._words, stored[at] == self._keys) if hit)
