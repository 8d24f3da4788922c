"""Names typed with a slip ("Khoung Sreng", "Tran Si Thanh") read as the articles write them.

A question word that no paragraph uses, written as a name (capitalised, or, in a question
typed all in lower case, next to a word the articles use as a name), is replaced by the closest name word the articles
use, within one edit for short words and two for longer ones (a swap of two letters
is one edit). Swapped syllables ("Sreng Khuong") need nothing: words match in any order.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from index.tokenize import fold, stem

_WORD = re.compile(r"[^\W\d_]+")
SHORT = 4  # words up to this long may differ by one edit, longer ones by two
# A name with one of these endings is a word made from it ("Cambodian"), not a slip.
_ENDINGS = frozenset({"n", "an", "ian", "ese", "s", "es", "i", "ish"})


@dataclass(frozen=True)
class Reading:
    text: str  # the question with its misspelt names mended
    names: tuple[str, ...]  # each mended name as read ("Khuong Sreng")


@lru_cache(maxsize=4)
def _choices(proper: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(proper))


def _mend(word: str, proper: frozenset[str]) -> str | None:
    """The closest name word; of equally close ones, one with the same first letter (slips
    are rarer there), then the first in alphabetical order, so the choice is repeatable."""
    folded = fold(word.casefold())
    limit = 1 if len(folded) <= SHORT else 2
    if len(folded) < 2:
        return None
    found = process.extract(folded, _choices(proper), scorer=DamerauLevenshtein.distance,
                            score_cutoff=limit, limit=None)
    best = min(found, key=lambda f: (f[1], f[0][0] != folded[0], f[0]), default=None)
    if best is None or folded.startswith(best[0]) and folded[len(best[0]):] in _ENDINGS:
        return None
    return best[0]


def read_names(text: str, proper: frozenset[str], doc_freq: Callable[[str], int],
               common: frozenset[str] = frozenset()) -> Reading:
    """`common` are words never taken for names (question and function words)."""
    words = list(_WORD.finditer(text))
    folded = [fold(m.group().casefold()) for m in words]
    is_name = [w in proper for w in folded]
    writes_capitals = any(m.group()[0].isupper() for m in words[1:])
    mended: dict[int, str] = {}
    for i, match in enumerate(words):
        word = match.group()
        near_name = (i > 0 and is_name[i - 1]) or (i + 1 < len(words) and is_name[i + 1])
        capitalised = i > 0 and word[0].isupper()  # the first word is capitalised as a sentence's
        known = is_name[i] or folded[i] in common or doc_freq(folded[i]) or doc_freq(stem(folded[i]))
        # Who writes names with capitals writes a lower-case word for a word, not a name.
        if known or not (capitalised or near_name and not writes_capitals):
            continue
        better = _mend(word, proper)
        if better:
            mended[i] = better[0].upper() + better[1:]
    if not mended:
        return Reading(text, ())
    out, end = [], 0
    for i, replacement in mended.items():
        out += [text[end:words[i].start()], replacement]
        end = words[i].end()
    out.append(text[end:])
    return Reading("".join(out), tuple(_runs(words, folded, mended, doc_freq)))


def _runs(words, folded, mended: dict[int, str], doc_freq: Callable[[str], int]) -> list[str]:
    """The name around each mended word: the words next to it that the articles write
    next to it too ("Khuong Sreng", not "Khuong Sreng Hanoi")."""
    names = []
    read = [fold(mended[j].casefold()) if j in mended else w for j, w in enumerate(folded)]
    for i in mended:
        start = end = i
        while start > 0 and doc_freq(f"{read[start - 1]}_{read[start]}"):
            start -= 1
        while end + 1 < len(words) and doc_freq(f"{read[end]}_{read[end + 1]}"):
            end += 1
        name = " ".join(mended.get(j, words[j].group()[0].upper() + words[j].group()[1:])
                        for j in range(start, end + 1))
        if name not in names:
            names.append(name)
    return names
