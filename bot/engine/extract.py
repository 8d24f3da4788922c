"""Choose the sentences that answer a question, or decide that none does.

Retrieval finds candidate paragraphs; the picker (`bot.engine.picker`) scores each of their
sentences with weights learned from questions with known answers, and says whether
the best one answers at all. Here live what comes around that choice: the points of
an agreement, the sentence that continues a proposal, and "who met whom?".
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from index.chunk import Paragraph, clauses, sentences, without_bullet
from index.search import Retriever
from index.sentences import tokens_of
from index.tokenize import fold, normalize

from .picker.evidence import facts
from .picker.features import INDEX, Candidate, Known, candidates_of, dense_matrix, match, matrix
from .picker.model import Model
from .questions import ParsedQuestion, is_yes_no, question_types
from .short.dates import belongs, events_of, first_date, is_name
from .short.numbers import asked_of, dated_years, gives_figure, gives_money
from .short.places import asked_place, of_another_place
from .short.titles import asked_people, names_all
from .short.words import words
from .short.yes_no import answers

if TYPE_CHECKING:  # only an index built with an encoder has them: the lexical bot never imports them
    from index.vectors import SentenceVectors

MAX_ITEMS = 8
MEETINGS_PER_ARTICLE = 2
CANDIDATE_PARAGRAPHS = 16


@dataclass
class Selection:
    answered: bool
    picks: list[Candidate]
    items: list[str]  # list points of the first pick (agreed items and the like)
    undated: bool = False  # a when-question whose candidates give no date of what is asked
    unfigured: bool = False  # a how-many question whose candidates give no number of what is asked
    confidence: float = 0.0  # the acceptance model's, once it has judged the candidates
    across: bool = False  # ... of the best in the other language than the question's


@lru_cache(maxsize=256)
def _phrase_pattern(phrases_: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases_, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _has_phrase(folded_text: str, phrases_) -> bool:
    """Whether any of the (folded) phrases occurs as whole words."""
    return bool(phrases_) and bool(_phrase_pattern(tuple(phrases_)).search(folded_text))


def asks_a_figure(question: ParsedQuestion) -> bool:
    """"How many ...?", "What is the population of ...?": a number of what it names."""
    return question.kind == "quantity" or question.kind == "what" and asked_of(question.text).measured


def _asked(question: ParsedQuestion) -> frozenset[str]:
    return frozenset(fold(w) for w in question.words)


@lru_cache(maxsize=1)
def _meeting_words() -> tuple[str, ...]:
    return tuple(fold(w) for w in question_types()["meeting"])


class Extractor:
    """Scores sentences of retrieved paragraphs against a parsed question."""

    def __init__(self, search: Retriever, picker: Model, proper: frozenset[str] = frozenset(),
                 vectors: SentenceVectors | None = None):
        """`vectors`: the index's sentence vectors, when the picker reads the encoder's features."""
        self.search = search
        self.picker = picker
        self.proper = proper
        self.vectors = vectors
        self._meetings: tuple[tuple[str, ...], Selection] | None = None

    def rows(self, question: ParsedQuestion, paragraphs: list[tuple[Paragraph, float]],
             follows: tuple[tuple[str, int], ...] = (), query: np.ndarray | None = None,
             known: Known | None = None) -> tuple[list[Candidate], np.ndarray]:
        """Every quotable part of the paragraphs and its feature row; with the question's
        vector (`query`), the encoder's columns after the lexical ones. `known`: what the
        rows of this question's paragraphs took so far (`features.matrix`), added to.

        A follow-up ("and when?") continues the previous answer's article when that
        article is among the paragraphs.
        """
        followed = {doc for doc, _ in follows}
        if any(p.doc_id in followed for p, _ in paragraphs):
            paragraphs = [(p, s) for p, s in paragraphs if p.doc_id in followed]
        found = [(p, s, candidates_of(p)) for p, s in paragraphs]
        cands = [c for _, _, cs in found for c in cs]
        rows = matrix(question, found, self.search, _asked(question), self.proper, known)
        if question.kind == "when" and cands:
            rows[:, INDEX["asked_date"]] = self._dated(question, cands)
        if cands and asks_a_figure(question) and asked_place(question.text) is not None:
            rows[:, INDEX["other_place"]] = [of_another_place(question.text, c.sentence) for c in cands]
        if query is None or self.vectors is None:
            return cands, rows
        cosines = [self._cosines(p, len(cs), query) for p, _, cs in found if cs]
        return cands, np.hstack([rows, dense_matrix(cosines, rows[:, INDEX["same_language"]])])

    def _cosines(self, paragraph: Paragraph, count: int, query: np.ndarray) -> np.ndarray:
        vectors = self.vectors.of(paragraph.doc_id, paragraph.number)
        if len(vectors) != count:  # a paragraph the vectors do not know: as far as can be
            return np.full(count, -1.0)
        return vectors @ query

    def select(self, question: ParsedQuestion, paragraphs: list[tuple[Paragraph, float]],
               follows: tuple[tuple[str, int], ...] = (), own_language: bool = True,
               query: np.ndarray | None = None, known: Known | None = None) -> Selection:
        """`own_language`: whether the folder has articles in the question's language;
        `query`: the question's vector, when the picker reads the encoder's features;
        `known`: as for `rows`."""
        cands, rows = self.rows(question, paragraphs, follows, query, known)
        if not cands or not question.concepts:
            return Selection(False, [], [])
        if own_language and query is None and rows[0, INDEX["unknown_concepts"]] > 0.5:
            # Most of the question is in words no article uses in any form: where articles in
            # its language exist, that is a topic they lack, not a gap in the dictionary. The
            # encoder's cosine tells the two apart ("septicemia" for "septicaemia", "apologize"
            # for "apologised"): with it the acceptance model judges, as it was fitted to.
            return Selection(False, [], [])
        picker = self.picker
        scores = picker.scores(rows)
        quotable, confidence = picker.choose(rows, scores)
        top = int(np.argmax(np.where(quotable, scores, -np.inf)))
        across = bool(rows[top, INDEX["same_language"]] == 0)
        if confidence < picker.least(cross=across):
            return Selection(False, [], [], confidence=confidence, across=across)
        naming = None if across else self._naming(question, cands)
        if naming is not None and naming[top]:
            quotable = quotable & naming  # what follows may choose another sentence: one naming them too
        elif naming is not None:
            # The question names someone or somewhere the folder knows, and the best sentence's
            # article, in the question's language, never does: an answer about "Albrecht" from an
            # article without him is about someone else. The best sentence of an article naming
            # them, if any, answers, else one in the other language if sure enough. (Names are
            # checked from the question's language: across languages they are written otherwise,
            # and a Vietnamese syllable may be an English article's capitalised word by chance.)
            named = quotable & naming
            if not named.any() and (sides := picker.sides(rows, scores)) is not None \
                    and sides[2] >= picker.least(cross=True):
                named, confidence, across = ~quotable & naming, sides[2], True
            if not named.any():
                return Selection(False, [], [], confidence=confidence, across=across)
            quotable = named
            top = int(np.argmax(np.where(quotable, scores, -np.inf)))
        asked_years, editions = dated_years(question.text), _numbered(question.text)
        years = [dated_years(c.sentence) for c in cands] if asked_years else []
        if editions:  # of the article: the medal table's sentence says "the Games", its article "SEA Games 34"
            written = {doc: _numbered(" ".join(p.text for p in self.search.paragraphs_of(doc)))
                       for doc in {c.paragraph.doc_id for c in cands}}
        other = [_other_editions(written[c.paragraph.doc_id], editions) for c in cands] if editions else []
        if (years and years[top] and not years[top] & asked_years) or (other and other[top]):
            # "How many transplants in 2024?" is not answered by the sentence on 2025's, nor "at SEA
            # Games 33?" from the article on SEA Games 34: a sentence naming the year, or an article
            # the edition, asked answers, or none (one the articles do not report).
            quotable = quotable & np.array([(not years or bool(years[i] & asked_years))
                                            and (not editions or bool(written[c.paragraph.doc_id] & editions))
                                            for i, c in enumerate(cands)])
            if not quotable.any():
                return Selection(False, [], [], confidence=confidence, across=across)
            top = int(np.argmax(np.where(quotable, scores, -np.inf)))
        if question.kind == "when":
            # The picker's choice, which weighs whether a sentence dates what is asked, answers
            # only with such a date; else the other language's article may give one, in a
            # sentence naming all the question's names, or the articles give none for it.
            dated = rows[:, INDEX["asked_date"]] > 0
            if not dated[top]:
                names = [k for k in question.concepts if is_name(k, self.proper)]
                quotable = dated & np.array([all(match(k, tokens_of(c.sentence, c.paragraph.language)) for k in names)
                                             for c in cands])
                if not quotable.any():
                    return Selection(False, [], [], undated=True, confidence=confidence, across=across)
        if question.kind == "quantity" and asked_of(question.text).counts and not is_yes_no(question.text) \
                and not gives_figure(question.text, cands[top].text):
            # "How many tourists ...?" is answered with a number: a sentence about tourists with
            # none means the articles give none (no other sentence is sought, as for a date: one
            # with a number the picker ranked lower counts something else as often as not).
            return Selection(False, [], [], unfigured=True, confidence=confidence, across=across)
        if asks_a_figure(question) and (asked := asked_of(question.text)).unit == "money" \
                and not is_yes_no(question.text) and not gives_money(cands[top].sentence, cands[top].paragraph.language):
            # "How much did the centre cost?" is answered with a sum: not by the sentence on its opening,
            # or on passengers carried, but by one writing a sum and the measure asked ("giá vé"), if any.
            priced = quotable & np.array([_has_phrase(fold(normalize(c.sentence)), asked.measures)
                                          and gives_money(c.sentence, c.paragraph.language) for c in cands])
            if not priced.any():
                return Selection(False, [], [], unfigured=True, confidence=confidence, across=across)
            quotable, top = priced, int(np.argmax(np.where(priced, scores, -np.inf)))
        if is_yes_no(question.text):  # "Did Khuong Sreng meet Hun Sen?" is not answered by a sentence without him
            people = asked_people(question, cands)
            named = np.array([names_all(c.sentence, people) for c in cands])
            # Of those, one that says yes or no, in the other language if only there.
            says = named & np.array([bool(n) and answers(question.text, c.text, c.paragraph.language, c.paragraph.title)
                                     for n, c in zip(named, cands)])
            if says.any():
                quotable = quotable & says if (quotable & says).any() else says
            else:
                quotable = quotable & named
            if not quotable.any():
                return Selection(False, [], [], confidence=confidence, across=across)
        best = cands[int(np.argmax(np.where(quotable, scores, -np.inf)))]
        if question.kind == "when" and best.paragraph.language != question.language:
            best = _same_date_in(question.language, best, cands, scores) or best
        picks, items = [best], []
        if question.kind == "agreed":
            items = self._items(best)
        if question.kind in ("agreed", "proposed", "committed") and not best.part_of_sentence:
            follow = self._continuation(best, question)
            if follow:
                picks.append(follow)
        return Selection(True, picks, items, confidence=confidence, across=across)

    def _naming(self, question: ParsedQuestion, cands: list[Candidate]) -> np.ndarray | None:
        """Which candidates' articles write one of the question's names (None: it names none the folder
        knows). A name is capitalised in the question as in the articles: an article's "Hurricane Scale"
        makes no name of "larger scale". A name is found as the question's language writes it, not
        by a dictionary's senses of its syllables ("Cam" of Cam Ranh is "orange" there)."""
        typed = {fold(w.casefold()) for w in re.findall(r"\w+", " ".join(question.text.split()[1:])) if w[0].isupper()}
        names = [dataclasses.replace(k, alternatives=k.own) for k in question.concepts
                 if is_name(k, self.proper) and all(fold(w) in typed for w in k.label.casefold().split())]
        if not names:
            return None
        among = frozenset(t for k in names for group in k.alternatives for t in group)
        written = self.search.article_words({c.paragraph.doc_id for c in cands}, among)
        return np.array([any(match(k, written[c.paragraph.doc_id]) for k in names) for c in cands])

    def _dated(self, question: ParsedQuestion, cands: list[Candidate]) -> list[bool]:
        """Which candidates give a date of what a when-question asks."""
        people, events = asked_people(question, cands), events_of(question, self.proper)
        return [belongs(question, c, people, lambda c=c: self._earlier(c.paragraph), events) for c in cands]

    def _earlier(self, paragraph: Paragraph) -> list[str]:
        return [p.text for p in self.search.paragraphs_of(paragraph.doc_id) if p.number < paragraph.number]

    def _items(self, best: Candidate) -> list[str]:
        """The points agreed: the semicolon-separated clauses or list lines from the chosen one on,
        without their bullets (the reply draws its own)."""
        parts = clauses(best.sentence)
        if len(parts) < 3 or best.text not in parts:
            return []
        return [without_bullet(part) for part in parts[parts.index(best.text):][:MAX_ITEMS]]

    def _continuation(self, best: Candidate, question: ParsedQuestion) -> Candidate | None:
        """The next sentence of the same paragraph when it goes on with the proposal."""
        following = sentences(best.paragraph.text)
        try:
            nxt = following[following.index(best.sentence) + 1]
        except (ValueError, IndexError):
            return None
        folded = fold(normalize(nxt))
        modal = tuple(fold(m) for m in question_types()["modal"])
        tokens = tokens_of(nxt, best.paragraph.language)
        if _has_phrase(folded, modal) and any(match(c, tokens) for c in question.concepts):
            return Candidate(best.paragraph, nxt, nxt, False, tokens, facts(nxt))
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
                for cand in candidates_of(paragraph):
                    people = len(set(cand.facts.persons))
                    if people >= 2 and _has_phrase(fold(normalize(cand.text)), meeting):
                        found.append((-people, paragraph.number, cand))
            best = sorted(found, key=lambda f: f[:2])[:MEETINGS_PER_ARTICLE]
            picks.extend(c for _, _, c in sorted(best, key=lambda f: f[1]))
        return Selection(bool(picks), picks, [])


_NUMBERED = re.compile(r"\b([A-Z][\w-]*)\s+(\d{1,3})\b(?![.,]\d)")


def _numbered(text: str) -> frozenset[tuple[str, str]]:
    """The editions a text names by a number after a capitalised word: "SEA Games 34", "Apollo 11"."""
    months = words()["months"]
    return frozenset((folded, number) for name, number in _NUMBERED.findall(text)
                     if (folded := fold(name.casefold())) not in months)


def _other_editions(written: frozenset[tuple[str, str]], asked: frozenset[tuple[str, str]]) -> bool:
    """Whether a text naming the editions `written` names another of one asked ("SEA Games 34" for 33),
    and never the one asked."""
    return not written & asked and any(name == asked_name for name, _ in written for asked_name, _ in asked)


def _same_date_in(language: str, best: Candidate, cands: list[Candidate], scores: np.ndarray) -> Candidate | None:
    """The best-scored sentence in `language` that gives the same date (to the month at least)
    as `best`: when both languages hold the answer, the asker reads it in their own."""
    found = first_date(best.text)
    if found is None or found[0].month is None:
        return None
    same = [i for i, cand in enumerate(cands) if cand.paragraph.language == language
            and (other := first_date(cand.text)) is not None and other[0] == found[0]]
    return cands[max(same, key=lambda i: scores[i])] if same else None


def is_generic_meeting(question: ParsedQuestion) -> bool:
    """A who-met-whom question that names no one and nothing else."""
    if question.kind != "who_met":
        return False
    meeting = set(_meeting_words())
    return all(fold(w) in meeting or fold(w) in {"whom"} for w in question.words)
