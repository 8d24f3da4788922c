"""Names typed with a slip ("Khoung Sreng", "Tran Si Thanh") read as the articles write them.

A question word that no paragraph uses, written as a name (capitalised, or, in a question
typed all in lower case, next to a word the articles use as a name), is replaced by the closest name word the articles
use, within one edit for short words and two for longer ones (a swap of two letters
is one edit). Swapped syllables ("Sreng Khuong") need nothing: words match in any order.

A word of the dictionary or the glossary ("Cambodians") is a word, not a slip, unless it
stands beside a name; in a question typed with diacritics, a Vietnamese word as written
("Bệnh viện", "Trung ương") is one even there. Beside another name, a slip is read only as a name word the articles
write next to that name: "Khoung Sren" is Khuong Sreng, never Khuong and Hun Sen's "Sen".
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from index.tokenize import fold, has_diacritics, stem

from .dictionary import dictionary, en_key
from .questions import glossary

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


def _candidates(word: str, proper: frozenset[str]) -> list[tuple[str, tuple[int, bool]]]:
    """The name words close to `word`, closest first, each with how close: its distance, and
    whether its first letter differs (slips are rarer there); equals in alphabetical order."""
    folded = fold(word.casefold())
    limit = 1 if len(folded) <= SHORT else 2
    if len(folded) < 2:
        return []
    # Imported at the first slip, not at start: most questions have none, and rapidfuzz costs a cold `ask` 20 ms.
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    found = process.extract(folded, _choices(proper), scorer=DamerauLevenshtein.distance,
                            score_cutoff=limit, limit=None)
    ranked = sorted(found, key=lambda f: (f[1], f[0][0] != folded[0], f[0]))
    # "Cambodian" is a word made from "Cambodia", not a slip.
    return [(c, (d, c[0] != folded[0])) for c, d, _ in ranked
            if not (folded.startswith(c) and folded[len(c):] in _ENDINGS)]


def _is_word(word: str) -> bool:
    """A word of the dictionary or the glossary, in either language."""
    lexicon = dictionary()
    return (bool(lexicon.translate((word,), "en")) or lexicon.is_word((word,), has_diacritics(word))
            or en_key(word) in glossary())


def _vietnamese_word(around: list[str], at: int) -> bool:
    """Whether around[at], as written, is a Vietnamese word alone or with the syllable before or after it."""
    lexicon, plain = dictionary(), [w.casefold() for w in around]
    return any(lexicon.is_word(tuple(plain[a:b]), True) for a, b in ((at, at + 1), (at, at + 2), (at - 1, at + 1))
               if 0 <= a and b <= len(plain))


def read_names(text: str, proper: frozenset[str], doc_freq: Callable[[str], int],
               common: frozenset[str] = frozenset()) -> Reading:
    """`common` are words never taken for names (question and function words)."""
    words = list(_WORD.finditer(text))
    folded = [fold(m.group().casefold()) for m in words]
    is_name = [w in proper and w not in common for w in folded]  # "Say" (Chhum) is also a verb
    writes_capitals = any(m.group()[0].isupper() for m in words[1:])
    accented = has_diacritics(text)
    candidates: dict[int, list[tuple[str, tuple[int, bool]]]] = {}
    for i, match in enumerate(words):
        word = match.group()
        near_name = (i > 0 and is_name[i - 1]) or (i + 1 < len(words) and is_name[i + 1])
        capitalised = i > 0 and word[0].isupper()  # the first word is capitalised as a sentence's
        known = folded[i] in proper or folded[i] in common or doc_freq(folded[i]) or doc_freq(stem(folded[i]))
        # Who writes names with capitals writes a lower-case word for a word, not a name.
        if known or not (capitalised or near_name and not writes_capitals) or not near_name and _is_word(word):
            continue
        if accented and _vietnamese_word([m.group() for m in words[max(i - 1, 0):i + 2]], min(i, 1)):
            continue  # "Bệnh viện Trung ương ... Melbourne": Vietnamese words as written, even beside a name, are no slip
        candidates[i] = _candidates(word, proper)
    mended: dict[int, str] = {}
    for i, found in candidates.items():
        # The readings of the neighbours that are names, or may be mended into names.
        beside = [[folded[j]] if is_name[j] else [c for c, _ in candidates[j]] for j in (i - 1, i + 1)
                  if 0 <= j < len(words) and (is_name[j] or candidates.get(j))]
        if beside:  # a name word the articles write next to the neighbouring name, in either order
            found = [(c, rank) for c, rank in found
                     if any(doc_freq(f"{c}_{n}") or doc_freq(f"{n}_{c}") for near in beside for n in near)]
        # Two names as close, and nothing to choose between them: the slip may be either.
        if found and not (len(found) > 1 and found[0][1] == found[1][1] and not beside):
            mended[i] = found[0][0][0].upper() + found[0][0][1:]
    if not mended:
        return Reading(text, ())
    out, end = [], 0
    for i, replacement in mended.items():
        out += [text[end:words[i].start()], replacement]
        end = words[i].end()
    out.append(text[end:])
    return Reading("".join(out), tuple(_runs(words, folded, mended, doc_freq)))


def name_words(text: str, proper: frozenset[str], doc_freq: Callable[[str], int],
               common: frozenset[str] = frozenset()) -> frozenset[str]:
    """The question's words that stand in a name of two words or more as the articles write it
    ("dinh tien dung"): the words the articles write capitalised, next to one they write beside it."""
    folded = [fold(m.group().casefold()) for m in _WORD.finditer(text)]
    pairs = [(a, b) for a, b in zip(folded, folded[1:])
             if a in proper and b in proper and not {a, b} & common and (doc_freq(f"{a}_{b}") or doc_freq(f"{b}_{a}"))]
    return frozenset(w for pair in pairs for w in pair)


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
