"""Which words the articles write capitalised inside a sentence: names, places, titles.

A question about "Phnom Penh" is not answered by a sentence about Hanoi, however
well the rest matches; knowing which question words are names lets the engine
insist on them. Case is read from the articles, so it works for questions typed
in lower case or without diacritics.
"""
from __future__ import annotations

import re
from collections import Counter

from .tokenize import fold

_WORD = re.compile(r"[^\W\d_]+")
# Words after these start a sentence or a quote: their capital says nothing.
_STARTS = re.compile(r"(^|[.!?:;“\"(]\s*)$")
MIN_SHARE = 0.6


def proper_words(texts) -> frozenset[str]:
    """Folded, lower-case words capitalised in at least MIN_SHARE of their mid-sentence uses."""
    capital, seen = Counter(), Counter()
    for text in texts:
        for match in _WORD.finditer(text):
            if _STARTS.search(text[:match.start()]):
                continue
            word = match.group()
            key = fold(word.casefold())
            seen[key] += 1
            if word[0].isupper():
                capital[key] += 1
    return frozenset(w for w, n in capital.items() if n / seen[w] >= MIN_SHARE)
