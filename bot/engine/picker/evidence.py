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

from index.tokenize import fold

from ..dictionary import en_key
from ..questions import glossary, question_types

_MONTHS = ("January|February|March|April|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DATE = re.compile(
    r"\b(?:1\d{3}|20\d\d)\b"                              # a year
    r"|\b\d{2,4}\s*(?:AD|BC|BCE|CE)\b|\b(?:AD|BC)\s*\d+"   # an era
    r"|\b\d{3}0s\b|\b(?:19|20)?\d0s\b"                     # a decade
    r"|\b\d{1,2}(?:st|nd|rd|th)[\s-]+centur|\bcenturies\b|\bcentury\b"
    rf"|\b(?:{_MONTHS})\b|\bMay\s+\d"                     # a month ("May" only with a day)
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"                   # 4/9, 4/9/2022
    r"|\b(?:today|yesterday|tomorrow|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|the same day|that day"
    r"|the following (?:day|year|week|month)|last (?:year|week|month)|next (?:year|week|month))\b"
    r"|\b(?:ngày|tháng|năm|thế kỷ|thế kỉ|thập niên|quý)\s+(?:\d+|[IVXLC]+\b)"
    r"|\b(?:hôm nay|hôm qua|ngày mai|cùng ngày|hôm sau|năm ngoái|năm sau|năm trước|thứ (?:hai|ba|tư|năm|sáu|bảy)"
    r"|chủ nhật|đầu năm|cuối năm|giữa năm|thế kỷ|thế kỉ|thập niên)\b",
    re.IGNORECASE,
)
_CASED_MONTH = re.compile(rf"\b(?:{_MONTHS})\b")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|percent|"
    r"một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|tỉ|nửa|phần trăm)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
_OPENS = ".!?:;“\"(‘«"


@dataclass(frozen=True)
class SentenceFacts:
    date: bool
    number: bool
    names: tuple[str, ...]  # capitalised runs, one word or more, not counting a sentence's first word alone
    opening: tuple[str, ...]  # a lone capitalised word that opens a sentence: a name only if the articles say so
    places: tuple[str, ...]  # names after a place preposition
    persons: tuple[str, ...]  # names with a title before them
    meeting: bool  # a word of meeting: met, talks, hội đàm, tiếp ...


def _is_date(text: str) -> bool:
    # A bare month name counts only capitalised: "march" and "august" are words too.
    return any(not _CASED_MONTH.fullmatch(m.group().capitalize()) or m.group()[0].isupper()
               for m in _DATE.finditer(text))


def _runs(text: str) -> list[tuple[list[str], bool, str]]:
    """Runs of capitalised words, whether a sentence or quote opens with them (a lone capital
    there is not a name) and the word before them ("in", "tại": a place follows)."""
    found = []
    run: list[str] = []
    opened = False
    before = previous = ""
    end = 0
    for match in _WORD.finditer(text):
        word, gap = match.group(), text[end:match.start()]
        end = match.end()
        capital = word[0].isupper() and not (word.isupper() and len(word) > 4)
        joined = bool(run) and gap.strip() in ("", "-")
        if run and not (capital and joined):
            found.append((run, opened, before))
            run = []
        if capital:
            if not run:
                opened = match.start() == len(text) - len(text.lstrip()) or any(c in _OPENS for c in gap)
                before = "" if gap.strip() else previous
            run.append(word)
        previous = fold(word.casefold())
    if run:
        found.append((run, opened, before))
    return found


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


def _persons(text: str, runs: list[tuple[list[str], bool]]) -> tuple[str, ...]:
    """Names of two words or more with a title just before them ("Governor Khuong Sreng",
    "Bí thư Thành ủy Đinh Tiến Dũng"); places and bodies the glossary knows are not people."""
    folded_words = fold(text.casefold()).split()
    known = glossary()
    found = []
    for run, _, _ in runs:
        if len(run) < 2 or en_key(" ".join(run)) in known:
            continue
        first = fold(run[0].casefold())
        for start in (i for i, w in enumerate(folded_words) if w.strip("(,“\"") == first):
            window = f" {' '.join(folded_words[max(0, start - 6):start + len(run)])} "
            if any(role in window for role in _roles()):
                found.append(" ".join(run))
                break
    return tuple(found)


@lru_cache(maxsize=16384)
def facts(text: str) -> SentenceFacts:
    runs = _runs(text)
    return SentenceFacts(_is_date(text), bool(_NUMBER.search(text)), *_split_names(runs), _persons(text, runs),
                         bool(_meeting().search(fold(text.casefold()))))


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
