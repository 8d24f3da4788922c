"""The objects an answer is made of; they cross from the engine to every adapter."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    doc: str
    paragraph: int
    text: str  # the whole paragraph, verbatim
    title: str
    language: str
    url: str = ""  # the article's address (its `url:` header field), when known
    date: str | None = None  # the article's date, ISO 8601, when known: what "the same day" and "yesterday" are counted from


@dataclass(frozen=True)
class Quote:
    """A sentence (or a run of clauses) taken from a cited paragraph."""
    text: str
    citation: int  # 1-based index into Answer.citations
    language: str
    items: tuple[str, ...] = ()  # list points (agreed items), shown as bullets
    # Whether the quote starts after / ends before the sentence does (shown as "…").
    cut_before: bool = False
    cut_after: bool = False
    # The sentence before, when the quote opens with a word pointing back to it ("He", "Họ"): `leads.py`.
    lead: str = ""


@dataclass(frozen=True)
class Topic:
    """What a question was about, kept so that a follow-up ("and when?") can reuse it."""
    words: tuple[str, ...]
    question: str
    sources: tuple[tuple[str, int], ...] = ()  # (doc, paragraph) of the answer, if any


@dataclass(frozen=True)
class DateFact:
    """A date as the articles give it, normalised so that each language can write it its own way."""
    kind: str = field(default="date", init=False)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    day_to: int | None = None  # the last day of a range ("4-6 September")
    quarter: int | None = None
    half: int | None = None
    year_inferred: bool = False  # the sentence gives no year; it is the article's
    same_day: bool = False  # the sentence says "the same day"; this is the day the article gave before
    from_article_date: bool = False  # "the same day", "today", "yesterday" counted from the article's date


@dataclass(frozen=True)
class NumberFact:
    """A number with its scale and unit, as keys each template words in its language."""
    kind: str = field(default="number", init=False)
    value: str = ""  # digits, "." as the decimal point
    scale: str | None = None  # "thousand", "million", ...
    unit: str | None = None  # "percent", "people", "usd", ...
    qualifier: str | None = None  # "nearly", "about", "over", ...


@dataclass(frozen=True)
class NameFact:
    """People named in the quote, written as the article writes them."""
    kind: str = field(default="names", init=False)
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermFact:
    """A place or a title, in both languages through the glossary."""
    kind: str = field(default="term", init=False)
    vi: str = ""
    en: str = ""


@dataclass(frozen=True)
class YesNoFact:
    """The answer to a yes/no question, and the fact of the quote it rests on when that is a
    number, a date or a place ("No: nearly 9 million")."""
    kind: str = field(default="yes_no", init=False)
    yes: bool = True
    because: DateFact | NumberFact | NameFact | TermFact | None = None


Fact = DateFact | NumberFact | NameFact | TermFact | YesNoFact


@dataclass
class Answer:
    question: str
    language: str
    answered: bool
    # The question type; or "empty" for a question with no words, "repeated" for one phrase over
    # and over, "follow_up" for one that only
    # continues an earlier question ("and when?") when there is none, "no_date" for a when-question
    # the articles give no date for, "no_figure" for a how-many question they give no number for,
    # or small talk ("greeting", ...).
    kind: str
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    topic: Topic | None = None
    # The short answer line: a fact that carries across languages exactly, or None
    # when none answers the question (what was agreed, why).
    short: Fact | None = None
    read_as: tuple[str, ...] = ()  # misspelt names as the bot read them ("Khuong Sreng")
    # With no short line, what a quote in the other language is about, in the reader's terms.
    about: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndexStats:
    """What an adapter reports about the articles it answers from."""
    articles: int
    paragraphs: int
    problems: tuple[str, ...]  # files skipped, each with why
