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


@dataclass(frozen=True)
class Topic:
    """What a question was about, kept so that a follow-up ("and when?") can reuse it."""
    words: tuple[str, ...]
    question: str
    sources: tuple[tuple[str, int], ...] = ()  # (doc, paragraph) of the answer, if any


@dataclass
class Answer:
    question: str
    language: str
    answered: bool
    kind: str  # the question type, or "empty" for a question with no words
    quotes: list[Quote] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    topic: Topic | None = None
