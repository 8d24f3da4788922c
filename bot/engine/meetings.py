""""Who met whom?" as one line per meeting: who, whom, where, when and the citation.

The engine quotes each meeting's sentence; the reader gets the facts of it, in the
reply's language, the meetings naming the most people first, at most MAX_MEETINGS.
"""
from __future__ import annotations

from dataclasses import dataclass

from .answer import Answer, DateFact, Quote, TermFact
from .short import people, place_in
from .short.dates import first_date
from .short.places import home_of

MAX_MEETINGS = 5


@dataclass(frozen=True)
class Meeting:
    people: tuple[str, ...]  # who first, then whom; empty when the sentence names fewer than two
    place: TermFact | None
    date: DateFact | None
    quote: Quote  # shown, shortened, when the people cannot be told


def is_meeting_list(answer: Answer) -> bool:
    """A generic "who met whom?" answered with meetings from several paragraphs."""
    return answer.kind == "who_met" and len({q.citation for q in answer.quotes}) > 1


def meetings(answer: Answer) -> list[Meeting]:
    """Every meeting of the answer, the one naming the most people first (ties keep the article order)."""
    found = []
    for quote in answer.quotes:
        named = tuple(people(quote.text))
        date = first_date(quote.text)
        home = home_of(answer.citations[quote.citation - 1].title)  # what "the capital city" is
        found.append(Meeting(named if len(named) >= 2 else (), place_in(quote.text, set(), home),
                             date[0] if date else None, quote))
    return sorted(found, key=lambda m: -len(m.people))
