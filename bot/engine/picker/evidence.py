"""What kind of thing a sentence holds: a date, a number, names.

A when-question is answered by a sentence with a date, a how-many question by one
with a number, a who- or where-question by one with a name the question does not
already give. These are read from the text alone, the same way in both languages.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.sentences import TextFacts, text_facts
from index.tokenize import fold

from ..dictionary import en_key
from ..questions import glossary, question_types

# A short aside in brackets between a title and the name it goes with: "Thị trưởng thành phố Sakai
# (Nhật Bản) Nagafuji Hideki", "Hanoi People's Committee (HPC) Chairman Tran Sy Thanh".
_ASIDE = re.compile(r"\s\([^()\s]+(?:\s[^()\s]+){0,2}\)(?=\s+[^\W\d_])")


def without_asides(text: str) -> str:
    """The text without the short asides in brackets that stand before a capitalised word."""
    return _ASIDE.sub(lambda m: "" if text[m.end():].lstrip()[:1].isupper() else m.group(), text)


@dataclass(frozen=True)
class SentenceFacts:
    date: bool
    number: bool
    names: tuple[str, ...]  # capitalised runs, one word or more, not counting a sentence's first word alone
    opening: tuple[str, ...]  # a lone capitalised word that opens a sentence: a name only if the articles say so
    places: tuple[str, ...]  # names after a place preposition
    persons: tuple[str, ...]  # names with a title before them
    meeting: bool  # a word of meeting: met, talks, hội đàm, tiếp ...


def _split_names(found) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Names, lone opening capitals, and places (names after "in", "at", "tại", "ở" ...)."""
    prepositions = _place_prepositions()
    return (tuple(" ".join(r) for r, first, _ in found if len(r) > 1 or not first),
            tuple(r[0] for r, first, _ in found if len(r) == 1 and first),
            tuple(" ".join(r) for r, _, before in found if before in prepositions))


@lru_cache(maxsize=1)
def _evidence() -> dict:
    return json.loads((Path(__file__).parent.parent / "data" / "evidence.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _roles() -> tuple[str, ...]:
    return tuple(f" {' '.join(role.split())} " for role in _evidence()["roles"])


@lru_cache(maxsize=1)
def _meeting() -> re.Pattern[str]:
    words = sorted((fold(w) for w in question_types()["meeting"]), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)")


@lru_cache(maxsize=1)
def _place_prepositions() -> frozenset[str]:
    return frozenset(_evidence()["place_prepositions"])


def _persons(folded: str, runs) -> tuple[str, ...]:
    """Names of two words or more with a title just before them ("Governor Khuong Sreng",
    "Bí thư Thành ủy Đinh Tiến Dũng"); places and bodies the glossary knows are not people.
    `folded`: the text folded and casefolded."""
    folded_words = folded.split()
    known = glossary()
    found = []
    at: dict[str, list[int]] = {}  # where each word stands, found once for all the runs
    for run, _, _ in runs:
        if len(run) < 2 or en_key(" ".join(run)) in known:
            continue
        if not at:
            for i, w in enumerate(folded_words):
                at.setdefault(w.strip("(,“\""), []).append(i)
        for start in at.get(fold(run[0].casefold()), ()):
            window = f" {' '.join(folded_words[max(0, start - 6):start + len(run)])} "
            if any(role in window for role in _roles()):
                found.append(" ".join(run))
                break
    return tuple(found)


@lru_cache(maxsize=16384)
def facts(text: str, found: TextFacts | None = None) -> SentenceFacts:
    """`found`: what the text alone says, as the index stored it (`index.sentences.text_facts(text)`)."""
    found = found or text_facts(text)
    runs = found.runs
    folded = fold(text.casefold())  # folded once for the titles and the words of meeting
    titled = fold(without_asides(text).casefold())  # a title is read across an aside
    return SentenceFacts(found.date, found.number, *_split_names(runs), _persons(titled, runs),
                         bool(_meeting().search(folded)))


def is_named(name: str, asked: frozenset[str]) -> bool:
    """Whether the question gives the name word for word."""
    return all(fold(w.casefold()) in asked for w in name.split())


def _new(names: tuple[str, ...], asked: frozenset[str]) -> tuple[str, ...]:
    return tuple(n for n in names if not is_named(n, asked))


def new_places(sentence: SentenceFacts, asked: frozenset[str]) -> tuple[str, ...]:
    return _new(sentence.places, asked)


def new_people(sentence: SentenceFacts, asked: frozenset[str], proper: frozenset[str]) -> tuple[str, ...]:
    """Who a who-question may be answered with: a titled person, or a name of two words or more
    (a lone capital is as often a title's first syllable, "Bí thư", as a one-word name)."""
    return tuple(dict.fromkeys(_new(sentence.persons, asked) + tuple(
        n for n in new_names(sentence, asked, proper) if " " in n)))


def new_names(sentence: SentenceFacts, asked: frozenset[str], proper: frozenset[str]) -> tuple[str, ...]:
    """Names in the sentence that the question does not give word for word; `proper` are the
    words the articles capitalise mid-sentence, which are names even where a sentence opens."""
    return _new(sentence.names + tuple(w for w in sentence.opening if fold(w.casefold()) in proper), asked)
