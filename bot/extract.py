"""Choose the sentences that answer a question, or decide that none does.

Retrieval finds candidate paragraphs; here each of their sentences is weighed by how
much of the question's concepts it covers (idf-weighted: rare names count more
than "Hanoi"), by what its paragraph and article add as context, and by whether it
holds the kind of thing asked: a date for "when", a number for "how many", a
name for "who". A question is answered only when one sentence covers enough of it.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.chunk import Paragraph, clauses, parts, sentences
from index.search import Retriever
from index.tokenize import analyze, fold, normalize

from .questions import Concept, ParsedQuestion, glossary, question_types

# Weights of a candidate's score; they sum to about one for a perfect sentence.
W_SENTENCE, W_CONTEXT, W_PAIRS, W_TYPE = 0.5, 0.25, 0.1, 0.15
CONTEXT_PARAGRAPH, CONTEXT_ARTICLE = 0.7, 0.4  # credit for a concept found nearby
KIND_PENALTY = {"title": 0.06, "caption": 0.04, "heading": 0.06}
TRANSLATION_CREDIT = 0.75  # a concept found only through the glossary is less certain
SAME_LANGUAGE_BONUS = 0.1  # at equal evidence, quote an article in the question's language
# A follow-up ("and when?") most likely continues the previous answer's paragraph or article.
FOLLOW_UP_PARAGRAPH_BONUS, FOLLOW_UP_ARTICLE_BONUS = 0.2, 0.12
# The answer must cover this share of the question (context included) ...
MIN_CONTEXT_COVERAGE = 0.5
# ... and the sentence itself this share ...
MIN_SENTENCE_COVERAGE = 0.3
# ... and its article this share of the names the question asks about.
MIN_NAME_COVERAGE = 0.5
# Types whose answer must hold a date, number or name: among the sentences that cover
# the question well enough, only those that hold the most of it are considered.
REQUIRED_EVIDENCE = {"when", "quantity", "who", "who_met", "role", "agreed", "proposed", "committed"}
# A number belongs to its subject: "the population of Phnom Penh" is not
# answered by a sentence giving Hanoi's, however well the rest of it matches.
SUBJECT_BOUND = {"quantity"}
MAX_ITEMS = 8
MEETINGS_PER_ARTICLE = 2
CANDIDATE_PARAGRAPHS = 16

_DATE = re.compile(
    r"\b(1[89]\d\d|20\d\d)\b|\b\d{1,2}/\d{1,2}(/\d{2,4})?\b|\b(ngày|tháng|năm)\s+\d+", re.I)
_NUMBER = re.compile(r"\d")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W_]*$")


@dataclass
class Candidate:
    paragraph: Paragraph
    text: str
    sentence: str  # the whole sentence the text comes from
    part_of_sentence: bool
    tokens: frozenset[str]
    score: float = 0.0
    sentence_coverage: float = 0.0
    context_coverage: float = 0.0
    name_coverage: float = 1.0
    # For SUBJECT_BOUND questions: the question names something, the sentence and its
    # paragraph do not, and the sentence names something else (another city or person).
    other_subject: bool = False
    type_fit: float = 0.0


@dataclass
class Selection:
    answered: bool
    picks: list[Candidate]
    items: list[str]  # list points of the first pick (agreed items and the like)


@lru_cache(maxsize=1)
def _evidence() -> dict:
    data = json.loads((Path(__file__).parent / "data" / "evidence.json").read_text("utf-8"))
    return {k: v for k, v in data.items() if k != "about"}


@lru_cache(maxsize=256)
def _phrase_pattern(phrases_: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases_, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _has_phrase(folded_text: str, phrases_) -> bool:
    """Whether any of the (folded) phrases occurs as whole words."""
    return bool(phrases_) and bool(_phrase_pattern(tuple(phrases_)).search(folded_text))


def names(text: str) -> list[str]:
    """Runs of two or more capitalised words: people, places, organisations."""
    runs, run = [], []
    for token in re.findall(r"[^\W_][^\s,;:()“”\"]*", text):
        word = token.rstrip(".’'")
        if _NAME_WORD.match(word) and word[0].isupper() and not word.isupper():
            run.append(word)
            continue
        if len(run) >= 2:
            runs.append(" ".join(run))
        run = []
    if len(run) >= 2:
        runs.append(" ".join(run))
    return runs


def has_date(text: str) -> bool:
    """A year, a d/m date, a month with a number, or a time word (quarter, hôm qua)."""
    folded = fold(text.casefold())
    ev = _evidence()
    month_and_day = _has_phrase(folded, ev["months"]) and bool(_NUMBER.search(text))
    return bool(_DATE.search(text)) or month_and_day or _has_phrase(folded, ev["time_words"])


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(text)) or _has_phrase(fold(text.casefold()), _evidence()["number_words"])


def persons(text: str) -> list[str]:
    """Name runs introduced by a title ("Governor Khuong Sreng", "Bí thư ... Đinh Tiến Dũng")."""
    folded_words = fold(text.casefold()).split()
    roles = [f" {' '.join(r.split())} " for r in _evidence()["roles"]]
    found = []
    known = glossary()
    for name in names(text):
        if tuple(fold(w.casefold()) for w in name.split()) in known:
            continue  # a place or body from the glossary, not a person
        first = fold(name.split()[0].casefold())
        for start in (i for i, w in enumerate(folded_words) if w.strip("(,“\"") == first):
            window = f" {' '.join(folded_words[max(0, start - 6):start + len(name.split())])} "
            if any(role in window for role in roles):
                found.append(name)
                break
    return found


def _asked(question: ParsedQuestion) -> set[str]:
    return {fold(w) for w in question.words}


def _is_new(name: str, asked: set[str]) -> bool:
    return not all(fold(w.casefold()) in asked for w in name.split())


def _new_names(text: str, question: ParsedQuestion) -> list[str]:
    asked = _asked(question)
    return [n for n in names(text) if _is_new(n, asked)]


def _new_person_fit(text: str, question: ParsedQuestion) -> float:
    """1 for a titled person the question does not name, 0.5 for another name."""
    asked = _asked(question)
    if any(_is_new(n, asked) for n in persons(text)):
        return 1.0
    return 0.5 if _new_names(text, question) else 0.0


@lru_cache(maxsize=1)
def _meeting_words() -> tuple[str, ...]:
    return tuple(fold(w) for w in question_types()["meeting"])


def type_fit(kind: str, text: str, question: ParsedQuestion) -> float:
    folded = fold(normalize(text))
    ev = _evidence()
    if kind == "when":
        return 1.0 if has_date(text) else 0.0
    if kind == "quantity":
        return 1.0 if has_number(text) else 0.0
    if kind == "who":
        return _new_person_fit(text, question)
    if kind == "role":
        asked = _asked(question)
        titled = persons(text)
        named = any(fold(w.casefold()) in asked for n in titled for w in n.split())
        return 1.0 if named else 0.5 if titled else 0.0
    if kind == "who_met":
        meeting = _has_phrase(folded, _meeting_words())
        return 0.4 * meeting + 0.6 * _new_person_fit(text, question)
    if kind == "why":
        return 1.0 if _has_phrase(folded, ev["reason_words"]) else 0.0
    if kind == "where":
        return 1.0 if names(text) else 0.0
    if kind in ("agreed", "proposed", "committed"):
        return 1.0 if _has_phrase(folded, ev[kind]) else 0.0
    return 1.0


def _concept_weight(concept: Concept, search: Retriever) -> float:
    n = search.size or 1
    df = 0
    for alternative in concept.alternatives:
        df += min((search.doc_freq(t) for t in alternative), default=0)
    df = min(df, n)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _matches(concept: Concept, tokens: frozenset[str]) -> float:
    """1 if the question's own words occur, less through a translation, else 0."""
    if any(alt <= tokens for alt in concept.own):
        return 1.0
    if any(alt <= tokens for alt in concept.alternatives):
        return TRANSLATION_CREDIT
    return 0.0


@lru_cache(maxsize=8192)
def _tokens(text: str, language: str) -> frozenset[str]:
    return frozenset(analyze(text, language).folded)


def _candidates(paragraph: Paragraph) -> list[Candidate]:
    pieces = parts(paragraph.text)
    known = [frozenset(p.split()) for p in paragraph.part_tokens.split("\t")] if paragraph.part_tokens else []
    if len(known) != len(pieces):  # a paragraph made outside the index
        known = [_tokens(part, paragraph.language) for part, _, _ in pieces]
    return [Candidate(paragraph, part, sentence, cut, tokens)
            for (part, sentence, cut), tokens in zip(pieces, known)]


class Extractor:
    """Scores sentences of retrieved paragraphs against a parsed question."""

    def __init__(self, search: Retriever, proper: frozenset[str] = frozenset()):
        self.search = search
        self.proper = proper
        self._meetings: tuple[tuple[str, ...], Selection] | None = None

    @staticmethod
    def _covers(cand: Candidate, question: ParsedQuestion) -> bool:
        """Whether a sentence covers enough of the question to answer it.

        Through the glossary a sentence in the other language can reach only part of
        the coverage its own language would, so the bar is lowered by the same credit.
        """
        scale = 1.0 if cand.paragraph.language == question.language else TRANSLATION_CREDIT
        return (cand.context_coverage >= MIN_CONTEXT_COVERAGE * scale
                and cand.sentence_coverage >= MIN_SENTENCE_COVERAGE * scale
                and cand.name_coverage >= MIN_NAME_COVERAGE and not cand.other_subject)

    def _names_other(self, cand: Candidate, question: ParsedQuestion) -> bool:
        asked = {fold(w) for w in question.words}
        return any(w in self.proper and w not in asked for w in cand.tokens if "_" not in w)

    def _is_name(self, concept: Concept) -> bool:
        """A concept the articles write with a capital: a person, place or body."""
        for alternative in concept.own:
            words = [t for t in alternative if "_" not in t and t.isalpha()]
            if words and all(t in self.proper for t in words):
                return True
        return False

    def score(self, question: ParsedQuestion, paragraphs: list[tuple[Paragraph, float]],
              follows: tuple[tuple[str, int], ...] = ()) -> list[Candidate]:
        followed_docs = {doc for doc, _ in follows}
        weights = [(c, _concept_weight(c, self.search)) for c in question.concepts]
        total = sum(w for _, w in weights) or 1.0
        is_name = [self._is_name(c) for c, _ in weights]
        name_total = sum(w for (_, w), name in zip(weights, is_name) if name)
        top_bm25 = max((s for _, s in paragraphs), default=1.0) or 1.0
        scored = []
        for paragraph, bm25 in paragraphs:
            candidates = _candidates(paragraph)
            # Pairs never cross the punctuation that ends a sentence, so the paragraph's
            # tokens are its sentences' together: no need to tokenize it twice.
            par_tokens = frozenset().union(*(c.tokens for c in candidates))
            doc_tokens = self.search.article_words(paragraph.doc_id)
            for cand in candidates:
                in_sentence = in_context = names_near = 0.0
                named_here = False
                for (concept, weight), name in zip(weights, is_name):
                    here = _matches(concept, cand.tokens)
                    near = _matches(concept, par_tokens)
                    in_article = _matches(concept, doc_tokens)
                    in_sentence += here * weight
                    in_context += weight * max(here, CONTEXT_PARAGRAPH * near, CONTEXT_ARTICLE * in_article)
                    if name and in_article:
                        names_near += weight
                    named_here = named_here or (name and bool(here or near))
                cand.name_coverage = names_near / name_total if name_total else 1.0
                cand.other_subject = (question.kind in SUBJECT_BOUND and bool(name_total) and not named_here
                                      and self._names_other(cand, question))
                pairs = sum(1 for p in question.pairs if p in cand.tokens)
                cand.sentence_coverage = in_sentence / total if weights else 0.0
                cand.context_coverage = in_context / total if weights else 0.0
                cand.type_fit = type_fit(question.kind, cand.text, question)
                cand.score = (
                    W_SENTENCE * cand.sentence_coverage
                    + W_CONTEXT * cand.context_coverage
                    + W_PAIRS * (pairs / len(question.pairs) if question.pairs else 0.0)
                    + W_TYPE * cand.type_fit
                    + 0.05 * bm25 / top_bm25
                    - KIND_PENALTY.get(paragraph.kind, 0.0)
                    + (SAME_LANGUAGE_BONUS if paragraph.language == question.language and not follows else 0.0)
                    + (FOLLOW_UP_PARAGRAPH_BONUS if (paragraph.doc_id, paragraph.number) in follows
                       else FOLLOW_UP_ARTICLE_BONUS if paragraph.doc_id in followed_docs else 0.0)
                )
                scored.append(cand)
        scored.sort(key=lambda c: c.score, reverse=True)
        return scored

    def select(self, question: ParsedQuestion, paragraphs: list[tuple[Paragraph, float]],
               follows: tuple[tuple[str, int], ...] = ()) -> Selection:
        eligible = [c for c in self.score(question, paragraphs, follows) if self._covers(c, question)]
        if eligible and question.kind in REQUIRED_EVIDENCE:
            most = max(c.type_fit for c in eligible)
            eligible = [c for c in eligible if c.type_fit == most and most > 0]
        if not eligible:
            return Selection(False, [], [])
        best = eligible[0]
        picks, items = [best], []
        if question.kind == "agreed":
            items = self._items(best)
        if question.kind in ("agreed", "proposed", "committed") and not best.part_of_sentence:
            follow = self._continuation(best, question)
            if follow:
                picks.append(follow)
        return Selection(True, picks, items)

    def _items(self, best: Candidate) -> list[str]:
        """The points agreed: the semicolon-separated clauses from the chosen one on."""
        parts = clauses(best.sentence)
        if len(parts) < 3 or best.text not in parts:
            return []
        return parts[parts.index(best.text):][:MAX_ITEMS]

    def _continuation(self, best: Candidate, question: ParsedQuestion) -> Candidate | None:
        """The next sentence of the same paragraph when it goes on with the proposal."""
        following = sentences(best.paragraph.text)
        try:
            nxt = following[following.index(best.sentence) + 1]
        except (ValueError, IndexError):
            return None
        folded = fold(normalize(nxt))
        modal = tuple(fold(m) for m in question_types()["modal"])
        tokens = _tokens(nxt, best.paragraph.language)
        if _has_phrase(folded, modal) and any(_matches(c, tokens) for c in question.concepts):
            return Candidate(best.paragraph, nxt, nxt, False, tokens)
        return None

    def meetings(self, docs: list[str]) -> Selection:
        """For "who met whom?" with nothing more: each article's meetings of titled people.

        Per article, the (at most) two sentences with a meeting word that name the most
        titled people; ties go to the earlier one, which is usually the main event. The
        answer depends only on the articles read, so the last one is kept for the next asker.
        """
        key = tuple(docs)
        if self._meetings is None or self._meetings[0] != key:
            self._meetings = key, self._find_meetings(docs)
        return self._meetings[1]

    def _find_meetings(self, docs: list[str]) -> Selection:
        picks = []
        meeting = _meeting_words()
        for doc_id in docs:
            found = []
            for paragraph in self.search.paragraphs_of(doc_id):
                if paragraph.kind in ("title", "caption"):
                    continue
                for cand in _candidates(paragraph):
                    people = len(set(persons(cand.text)))
                    if people >= 2 and _has_phrase(fold(normalize(cand.text)), meeting):
                        found.append((-people, paragraph.number, cand))
            best = sorted(found, key=lambda f: f[:2])[:MEETINGS_PER_ARTICLE]
            picks.extend(c for _, _, c in sorted(best, key=lambda f: f[1]))
        return Selection(bool(picks), picks, [])


def is_generic_meeting(question: ParsedQuestion) -> bool:
    """A who-met-whom question that names no one and nothing else."""
    if question.kind != "who_met":
        return False
    meeting = set(_meeting_words())
    return all(fold(w) in meeting or fold(w) in {"whom"} for w in question.words)
