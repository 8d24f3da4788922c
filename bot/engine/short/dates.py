"""Dates in a quoted sentence, read into a DateFact: "September 4-6", "24/6/1967", "quý III/2023".

Matching runs on the folded, lower-cased sentence (no diacritics), so "tháng" and "thang"
read alike. When several dates are given, the first one is the answer ("(24/6/1967 -
24/6/2022)" answers when relations were established).
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from index.sentences import tokens_of
from index.tokenize import fold

from ..answer import DateFact
from ..picker import features
from ..questions import Concept, ParsedQuestion, function_words
from .terms import singular
from .titles import names_everyone
from .words import words

_YEAR = r"(1[0-9]\d\d|20\d\d)"
BRACKETED = 6  # words before a bracket that a date in it belongs to
OPENING = 2  # words a sentence may start with before its date ("Chiều 14/10/2025,", "On October 21,")
# "The same day" and its kin, folded: the day is one the article gave before.
_SAME_DAY = re.compile(r"\b(?:the same day|that day|that same day|cung ngay|hom do|ngay hom do)\b")
_BARE_YEAR = re.compile(rf"(?<![\d/.,])\b{_YEAR}\b(?![\d/]|\s*%)")


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    months = "|".join(sorted(words()["months"], key=len, reverse=True))
    ordinals = "|".join(sorted(words()["ordinals"], key=len, reverse=True))
    day = r"(\d{1,2})(?:st|nd|rd|th)?"
    days = rf"{day}(?:\s*(?:-|–|to|and)\s*{day})?"
    year = rf"(?:,?\s*{_YEAR})?"
    return [  # (what the groups hold, pattern); at one position the earlier pattern wins
        ("m d d2 y", re.compile(rf"\b({months})\.?\s+{days}\b{year}")),
        ("d d2 m y", re.compile(rf"\b{days}\s+(?:of\s+)?({months})\b{year}")),
        # "từ ngày 8 đến 10/6": the days from one to the other
        ("d d2 m y", re.compile(rf"\bngay\s+(\d{{1,2}})\s+(?:den|toi)\s+(?:ngay\s+)?(\d{{1,2}})/(\d{{1,2}})(?:/{_YEAR})?\b(?!/)")),
        ("d d2 m y", re.compile(rf"(?:ngay\s+)?\b(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}}))?/(\d{{1,2}})(?:/{_YEAR})?\b(?!/)")),
        ("d d2 m y", re.compile(rf"\bngay\s+(\d{{1,2}})(?:\s*[-–]\s*(\d{{1,2}}))?\s+thang\s+(\d{{1,2}})(?:\s+nam\s+{_YEAR})?")),
        ("m y", re.compile(rf"\b({months})\.?,?\s+(?:of\s+)?{_YEAR}\b")),
        ("m y", re.compile(rf"\bthang\s+(\d{{1,2}})(?:/|\s+nam\s+){_YEAR}\b")),
        ("q y", re.compile(rf"\b({ordinals})\s+quarter\s+(?:of\s+)?{_YEAR}\b")),
        ("q y", re.compile(rf"\bquy\s+(i{{1,3}}|iv|[1-4])(?:/|\s+nam\s+){_YEAR}\b")),
        ("h y", re.compile(rf"\b(first|second)\s+(?:half|six\s+months)\s+(?:of\s+)?{_YEAR}\b")),
        ("h y", re.compile(rf"\b6\s+thang\s+(dau|cuoi)\s+nam\s+{_YEAR}\b")),
        ("y", re.compile(rf"\bnam\s+{_YEAR}\b")),
        ("y", _BARE_YEAR),
    ]


def _number(value: str | None) -> int | None:
    if value is None:
        return None
    if value.isdigit():
        return int(value)
    table = words()
    return table["months"].get(value) or table["ordinals"].get(value)


def _fact(layout: str, groups: tuple[str | None, ...]) -> DateFact | None:
    values = dict(zip(layout.split(), groups))
    half = values.get("h")
    fact = DateFact(
        year=_number(values.get("y")), month=_number(values.get("m")), day=_number(values.get("d")),
        day_to=_number(values.get("d2")), quarter=_number(values.get("q")),
        half=None if half is None else 1 if half in ("first", "dau") else 2)
    valid_day = fact.day is None or 1 <= fact.day <= 31
    valid_range = fact.day_to is None or (fact.day is not None and fact.day < fact.day_to <= 31)
    valid_month = fact.month is None or 1 <= fact.month <= 12
    return fact if valid_day and valid_range and valid_month else None


def dates_in(text: str) -> list[tuple[DateFact, tuple[int, int]]]:
    """Every date of `text` and where it stands (in the folded text), in order; where several
    patterns match at one place, the earlier pattern's reading."""
    folded = fold(text.casefold())
    found = []
    for rank, (layout, pattern) in enumerate(_patterns()):
        for match in pattern.finditer(folded):
            fact = _fact(layout, match.groups())
            if fact is not None:
                found.append((match.start(), rank, fact, match.span()))
    kept: list[tuple[DateFact, tuple[int, int]]] = []
    for _, _, fact, span in sorted(found, key=lambda f: f[:2]):
        if not kept or span[0] >= kept[-1][1][1]:
            kept.append((fact, span))
    return kept


def first_date(text: str) -> tuple[DateFact, tuple[int, int]] | None:
    """The first date of `text` and where it stands (in the folded text)."""
    found = dates_in(text)
    return found[0] if found else None


def date_for(text: str, asked: frozenset[str], wanted: str | None = None,
             events: frozenset[str] = frozenset()) -> DateFact | None:
    """Of the dates of `text`, the one that belongs to what is asked: the date of the list item
    (between semicolons) that shares most of the `asked` words (folded, singular), then one
    that gives the `wanted` part ("day" for "on what day"), then one opening the sentence, then
    the one of the clause (between commas) that shares most of the `events` asked about (the
    asked words but names: "visit" in "held talks ... on November 24, as part of his visit to
    Chile from November 23 to 26"), then most of them all; the first of equals. A date in brackets belongs to the words just
    before it ("diplomatic relations (June 24, 1967 – ...)") and answers only when they are asked
    about."""
    found = dates_in(text)
    folded = fold(text.casefold())
    best, best_shared = None, (-1, -1, False, -1, -1)
    for fact, (start, end) in found:
        if folded.count("(", 0, start) > folded.count(")", 0, start):
            context = folded[:folded.rfind("(", 0, start)].split()[-BRACKETED:]
            if not {singular(w) for w in context} & asked:
                continue
        if _in_span(fact, folded, start, end):
            continue
        item, clause = (len(_around(folded, start, edges) & asked) for edges in (";", ";,"))
        # A date opening the sentence ("Ngày 9/6/2025, X đã tiếp Y ... đang thăm Đà Nẵng từ ngày 8
        # đến 10/6") is its main clause's.
        opening = "," not in folded[:start] and len(folded[:start].split()) <= OPENING
        shared = (item, wanted is not None and getattr(fact, wanted) is not None, opening,
                  len(_around(folded, start, ";,") & events), clause)
        if shared > best_shared:
            best, best_shared = fact, shared
    return best


_YEAR_SPAN = re.compile(r"\s*[-–]\s*\d{4}\b")


def _in_span(fact: DateFact, folded: str, start: int, end: int) -> bool:
    """Whether a bare year opens or closes a span of years ("giai đoạn 2025 - 2030"): a
    period, not the time something happened."""
    return (fact.month is None and fact.quarter is None and fact.half is None
            and bool(_YEAR_SPAN.match(folded, end) or re.search(r"\d{4}\s*[-–]\s*$", folded[:start])))


@lru_cache(maxsize=4096)
def date_contexts(text: str) -> tuple[str, ...]:
    """For each date of `text`, the words it belongs to, as written: those of its list item
    (between semicolons) from the last verb of saying before it on ("Khuong Sreng stressed that
    Phnom Penh was liberated in 1979": the liberation's date, not the talks'); for a date in
    brackets, the words just before the bracket, counted without function words ("defeated the
    Mongols at the Battle of Bạch Đằng (1288)", "relations (24/6/1967 - 24/6/2022)"). Kept by
    text: a when-question asks it of every candidate, and the encoder's picker of most again."""
    written = unicodedata.normalize("NFC", text)
    folded = fold(written.casefold())
    if len(folded) != len(written):
        written = folded
    lowered = written.casefold()
    found = []
    for _, (start, _) in dates_in(written):
        if folded.count("(", 0, start) > folded.count(")", 0, start):
            bracket = folded.rfind("(", 0, start)
            before = written[:bracket].split()
            meant = [i for i, w in enumerate(before) if fold(w.casefold()).strip(".,;:'’") not in function_words()]
            found.append(" ".join(before[meant[-BRACKETED]:] if len(meant) >= BRACKETED else before))
            continue
        low = max([folded.rfind("; ", 0, start) + 1, *(m.end() for m in _speech().finditer(lowered, 0, start))])
        high = folded.find("; ", start)
        found.append(written[low:high if high >= 0 else len(written)])
    return tuple(found)


@lru_cache(maxsize=1)
def _speech() -> re.Pattern[str]:
    said = "|".join(re.escape(w) for w in sorted(words()["speech"], key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{said})(?!\w)")


def belongs(question: ParsedQuestion, cand: features.Candidate, asked: frozenset[str],
            earlier: Callable[[], list[str]], events: tuple[Concept, ...]) -> bool:
    """Whether the candidate gives a date of what is asked: a date whose words (`date_contexts`)
    hold one of the `events` the question asks the date of (in the question's language), or a day it counts from another
    ("the same day" after a day the article gave, `earlier` its paragraphs before this one;
    "today" in a dated article), in a sentence that names all the people `asked` about or no
    titled person at all. A date beside other words (the anniversary of relations, a place's
    liberation for a visit to it) or in a sentence about other people is another event's."""
    if not names_everyone(cand.sentence, asked):
        return False
    language = cand.paragraph.language
    contexts = date_contexts(cand.text)
    relative = says_same_day(cand.text) or days_from_article_date(cand.text) is not None
    if not contexts and (_counts_from_a_day(cand, earlier) if relative else cand.facts.date):
        contexts = [cand.text]  # a day counted from another, or a date the short line does not read ("the 1950s")
    # Across languages a verb's translation is often missed: there a name of the question will do.
    wanted = events if language == question.language else question.concepts
    return any(any(features.match(c, tokens_of(context, language)) for c in wanted) for context in contexts)


def events_of(question: ParsedQuestion, proper: frozenset[str]) -> tuple[Concept, ...]:
    """What a when-question asks the date of: its concepts but names ("visit", "liberated"; not
    "Phnom Penh") and the parts of a date it asks for ("từ ngày nào đến ngày nào": "ngày" is
    no event), or all of them when it names nothing else ("When was Super Bowl 50?")."""
    parts = {w for cues in words()["date_parts"].values() for w in cues}
    events = tuple(c for c in question.concepts if not is_name(c, proper) and fold(c.label.casefold()) not in parts)
    return events or question.concepts


def is_name(concept: Concept, proper: frozenset[str]) -> bool:
    """Whether a concept is a name: its words are ones the articles write capitalised (`proper`)."""
    return all(fold(w) in proper for w in concept.label.casefold().split())


def _counts_from_a_day(cand: features.Candidate, earlier: Callable[[], list[str]]) -> bool:
    """Whether a sentence is dated by another day, as the short line reads it: "today" or "the
    same day" by a dated article's day, "the same day" also by a day the article gave before it."""
    if cand.paragraph.date is not None:
        return days_from_article_date(cand.text) is not None or says_same_day(cand.text)
    if not says_same_day(cand.text):
        return False
    before = cand.paragraph.text[:max(cand.paragraph.text.find(cand.text), 0)]
    return any(day_dates(text) for text in (before, *earlier()))


def _around(folded: str, position: int, edges: str) -> set[str]:
    """The words between the `edges` (punctuation followed by a space) before and after `position`."""
    marks = [m.start() for m in re.finditer(rf"[{edges}](?=\s)", folded)]
    start = max((m for m in marks if m < position), default=-1) + 1
    end = min((m for m in marks if m >= position), default=len(folded))
    return {singular(w) for w in re.findall(r"\w+", folded[start:end])}


def wanted_part(question: str) -> str | None:
    """The part of a date a question asks for: "ngày nào" a day, "what year" a year."""
    asked = set(re.findall(r"\w+", fold(question.casefold())))
    return next((part for part, cues in words()["date_parts"].items() if asked & set(cues)), None)


def says_same_day(text: str) -> bool:
    return bool(_SAME_DAY.search(fold(text.casefold())))


# A sentence opening with what the one before told ("Sau hội đàm, hai bên đã ký ...", "After the
# talks, ..."), folded: it happened on the day told before it.
_FOLLOWS_ON = re.compile(r"(?:sau (?:cuoc |buoi )?(?:hoi dam|hoi kien|gap go|cuoc gap|buoi gap|lam viec|tiep)"
                         r"|after (?:the|their) (?:talks|meeting|reception)|following (?:the|their) (?:talks|meeting))"
                         r"\s*,")


def follows_on(text: str) -> bool:
    return bool(_FOLLOWS_ON.match(fold(text.casefold())))


_FROM_ARTICLE_DATE = ((re.compile(r"\b(?:today|hom nay)\b"), 0), (re.compile(r"\b(?:yesterday|hom qua)\b"), -1))


def days_from_article_date(text: str) -> int | None:
    """"today" / "hôm nay" (0) and "yesterday" / "hôm qua" (-1) count from the day the article was written."""
    folded = fold(text.casefold())
    return next((days for pattern, days in _FROM_ARTICLE_DATE if pattern.search(folded)), None)


_WEEKDAY = re.compile(r"\b(?:(next|coming) )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                      r"|\b(?:thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|(Chủ nhật))\b( (?:tới|tuần sau))?")
_WEEKDAY_NUMBERS = {name: n for n, name in enumerate(
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))} | {
    name: n for n, name in enumerate(("Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Chủ nhật"))}


def days_back_to_weekday(text: str, day: datetime.date) -> int | None:
    """"on Tuesday" / "thứ Ba" in a news article: the last such day up to the article's `day`
    (news names the day of the week for the week just past), as days from it; a day ahead
    ("next Tuesday", "thứ Ba tới") is not counted. Vietnamese weekdays only capitalised: "lớn thứ
    hai" is the second largest."""
    match = _WEEKDAY.search(text)
    if match is None or match.group(1) or match.group(5):
        return None
    named = _WEEKDAY_NUMBERS[match.group(2) or match.group(3) or match.group(4)]
    return -((day.weekday() - named) % 7)


@lru_cache(maxsize=4096)
def day_dates(text: str) -> tuple[DateFact, ...]:
    """The dates of `text` that name a day, in order, but for those in brackets: an
    anniversary "(24/6/1967 - 24/6/2022)" is not the day the article reports. Kept by text:
    "the same day" is dated by the paragraphs before it, for every candidate saying it."""
    folded = fold(text.casefold())
    found: dict[int, DateFact] = {}
    for layout, pattern in _patterns():  # at one position the earlier pattern wins
        for match in pattern.finditer(folded):
            fact = _fact(layout, match.groups())
            start = match.start()
            if fact is not None and fact.day is not None and folded.count("(", 0, start) <= folded.count(")", 0, start):
                found.setdefault(start, fact)
    return tuple(found[start] for start in sorted(found))


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates stand in the folded text, so that their numbers are not read as quantities."""
    folded = fold(text.casefold())
    return [m.span() for _, pattern in _patterns() for m in pattern.finditer(folded)]


def usual_year(texts: list[str]) -> int | None:
    """The year the texts name most often (the later one on a tie): the year an article reports on."""
    counts = Counter(int(m.group(1)) for text in texts for m in _BARE_YEAR.finditer(text))
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))
