"""Question in, cited Answer out. Knows nothing of Telegram or the console."""
from __future__ import annotations

import dataclasses
import re
import time
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from index.chunk import Paragraph, without_bullet
from index.language import detect
from index.pipeline import ArticleInfo
from index.search import Query
from index.options import IndexOptions
from index.store import Index, load
from index.tokenize import analyze, fold, has_diacritics, phrases, words

from .answer import Answer, Citation, IndexStats, NameFact, Quote, Topic
from .extract import CANDIDATE_PARAGRAPHS, Extractor, Selection, is_generic_meeting
from .leads import add_leads
from .picker.features import Candidate, Known
from .picker.model import Model, model
from .questions import ParsedQuestion, common_words, parse, question_types
from .spelling import name_words, read_names
from .short import short_answer, title_source
from .short.about import about
from .smalltalk import repeated, small_talk, without_greeting

if TYPE_CHECKING:
    from index.encoder import Encoder

FOLLOW_UP_MAX_CONCEPTS = 2
# "Who met whom?" reads every article of a folder up to this size; an archive's are
# too many to read per question, so there it reads the articles retrieval ranks first.
MEETINGS_SCAN_ARTICLES = 100
# The paragraphs of the encoder's nearest sentences, this many per article language, join
# BM25's candidates: they reach the other language's paragraph when no dictionary word
# matches (on XQuAD's development half, candidate recall across languages 92.5/91.5% ->
# 98.0/97.4% with 4; 8 adds little, benchmarks/encoder_probe.py).
DENSE_NEAREST = 4


class Engine:
    """Built from its parts, so a test or a benchmark can hand it another picker; `from_folder`
    supplies the defaults."""

    def __init__(self, index: Index, picker: Model | None = None, encoder: Encoder | None = None):
        """`encoder`: the one the index's sentence vectors were made with, to encode questions.
        Without it, or for an index without vectors (an archive, a disk backend), the bot
        answers from words alone, with the picker fitted for that."""
        self.index = index
        usable = encoder is not None and index.vectors is not None and index.vectors.made_by(encoder)
        self.encoder = encoder if usable else None
        self.extractor = Extractor(index.search, picker or model(dense=usable), index.proper,
                                   index.vectors if usable else None)
        self.languages = index.languages

    @cached_property
    def _words_extractor(self) -> Extractor:
        """The extractor of the questions the encoder does not read (`by_words`), with the picker
        fitted for words alone; made when first needed (the fit's engines never need it)."""
        return Extractor(self.index.search, model(dense=False), self.index.proper)

    def by_words(self, question: str) -> bool:
        """Whether a question is answered from words alone although the encoder is on: Vietnamese
        typed without diacritics, which e5 reads poorly (on the bundled articles the sentence that
        answers "ha noi huong toi muc tieu ..." is not even its nearest of the paragraph), while the
        words find it as they would with diacritics."""
        return self.encoder is not None and not has_diacritics(question.casefold()) and detect(question) == "vi"

    @classmethod
    def from_folder(cls, docs_dir: Path, index_dir: Path | None = None, rebuild: bool = False,
                    backend: str = "auto", options: IndexOptions = IndexOptions(),
                    encoder: Encoder | None = None) -> "Engine":
        index = load(docs_dir, index_dir, rebuild=rebuild, backend=backend, options=options, encoder=encoder)
        return cls(index, encoder=encoder)

    @property
    def articles(self) -> list[ArticleInfo]:
        return self.index.articles

    def refresh(self) -> None:
        """An `Engine` answers from the index it was built with; `LiveEngine` follows the folder."""

    def stats(self) -> IndexStats:
        return IndexStats(len(self.index.articles), self.index.paragraph_count, tuple(self.index.problems))

    def answer(self, question: str, topic: Topic | None = None, language: str | None = None,
               fallback_language: str = "en", timings: dict[str, float] | None = None) -> Answer:
        """Answer `question`; `topic` is the chat's previous one, for follow-ups.

        `language` forces the reply language (a chat's /lang setting); `fallback_language`
        is used when the question has no words to tell its language by. `timings`, when
        given, receives the seconds spent finding candidates ("retrieval") and choosing
        among them ("extraction"): what the benchmarks report.
        """
        started = time.perf_counter()
        text = without_greeting(" ".join(question.split()))  # "hi there, who met whom?" asks "who met whom?"
        if not any(phrases(text)):
            return Answer(question, language or fallback_language, False, "empty")
        if (talk := small_talk(text, language)) is not None:
            return talk
        asked = text
        reading = read_names(text, self.index.proper, self.index.search.doc_freq, common_words())
        text = reading.text
        parsed = self._parse(text)
        if repeated(text):
            return Answer(question, language or parsed.language, False, "repeated")
        follows: tuple[tuple[str, int], ...] = ()
        typed = topic is not None and bool(parsed.concepts) and _asks_only_its_type(parsed)
        if topic and typed:  # "What was agreed?" under an answer: in that answer's articles
            follows = topic.sources
        elif topic and _is_follow_up(text, parsed):
            parsed = self._parse(f"{text} {' '.join(topic.words)}", language=parsed.language)
            follows = topic.sources
            asked = f"{topic.question} {asked}"
        elif not parsed.concepts:  # "and when?" with no earlier question: nothing to look for
            return Answer(question, language or parsed.language, False, "follow_up")
        reply_language = language or parsed.language
        if is_generic_meeting(parsed):
            docs = self._meeting_docs(search_query(parsed, text))
            retrieval = time.perf_counter() - started
            selection = self.extractor.meetings(docs)
        else:
            # what the encoder would read: no greeting, a follow-up with its topic
            dense = self.encoder is not None and not self.by_words(asked)
            searching = time.perf_counter()
            found = _within(typed, follows, self._searched(parsed, text))
            retrieval = time.perf_counter() - searching
            picker, known = self.extractor.picker, Known(parsed)
            selection = None if dense and picker.lexical_gate is None else self._select(parsed, found, follows, known)
            if dense and (selection is None or not picker.keeps(selection)):
                searching = time.perf_counter()  # encoding the question, then its nearest sentences
                vector = self._encode(asked)
                found = _within(typed, follows, self._with_nearest(found, vector))
                retrieval += time.perf_counter() - searching
                selection = self._select(parsed, found, follows, known, vector)
        if timings is not None:
            timings.update(retrieval=retrieval, extraction=time.perf_counter() - started - retrieval)
        answer = _to_answer(question, reply_language, parsed, selection)
        article = cache(self._article_texts)  # the who-is quote and the short line read the same articles
        if (source := title_source(answer, article)) is not None:
            doc, paragraph_text, sentence = source
            _quote_alone(answer, next(p for p in self.index.search.paragraphs_of(doc) if p.text == paragraph_text),
                         sentence)
        add_leads(answer)
        answer.read_as = reading.names
        sources = tuple((c.doc, c.paragraph) for c in answer.citations) or follows
        words = (*topic.words, *parsed.words) if typed and topic else parsed.words
        answer.topic = Topic(words, text, sources) if words else topic
        answer.short = short_answer(answer, article)
        answer.about = about(answer)
        if isinstance(answer.short, NameFact) and answer.topic:  # "and when?" after "Who is the ambassador?" asks of him
            named = tuple(w.casefold() for name in answer.short.names for w in name.split())
            answer.topic = dataclasses.replace(answer.topic, words=(*answer.topic.words, *named))
        return answer

    def _article_texts(self, doc: str) -> list[str]:
        return [p.text for p in self.index.search.paragraphs_of(doc)]

    def _select(self, parsed: ParsedQuestion, paragraphs: list[tuple[Paragraph, float]],
                follows: tuple[tuple[str, int], ...], known: Known, vector: np.ndarray | None = None) -> Selection:
        """The answer with the encoder's picker from the question's `vector`, or from words alone
        (the words-alone picker's answer, which the encoder's keeps where it is sure:
        `Model.lexical_gate`). `known`: the question's rows so far, which the encoder's picker
        reuses for the words-alone picker's paragraphs."""
        extractor = self._words_extractor if vector is None and self.encoder is not None else self.extractor
        return extractor.select(parsed, paragraphs, follows, parsed.language in self.languages, vector, known)

    def _parse(self, text: str, language: str | None = None) -> ParsedQuestion:
        """The question parsed with the names the articles write, which it may type without diacritics."""
        names = name_words(text, self.index.proper, self.index.search.doc_freq, common_words())
        return parse(text, language, names)

    def _encode(self, question: str) -> np.ndarray | None:
        """The question's vector, as written (the encoder reads "Hanoi" better than the names mended for BM25)."""
        return None if self.encoder is None else self.encoder.encode_queries([question])[0]

    def _retrieve(self, parsed: ParsedQuestion, text: str, vector: np.ndarray | None = None
                  ) -> list[tuple[Paragraph, float]]:
        """The candidate paragraphs, best first, each with its score relative to the best: BM25's
        (`_searched`), then with the question's `vector` the encoder's (`_with_nearest`)."""
        found = self._searched(parsed, text)
        return found if vector is None else self._with_nearest(found, vector)

    def _searched(self, parsed: ParsedQuestion, text: str) -> list[tuple[Paragraph, float]]:
        """BM25's candidate paragraphs, best first, each with its score relative to the best.

        Two searches: with the question's own words (and glossary equivalents), and with
        the dictionary's translations added. A dictionary gives many translations per word,
        so in a folder of both languages the second alone fills the candidates with the
        other language's paragraphs; the first keeps those in the question's language.
        """
        ranked: dict[tuple[str, int], tuple[int, float, Paragraph]] = {}
        own, every = search_query(parsed, text, translated=False), search_query(parsed, text)
        for hits in self.index.search.search_each([own] if every == own else [own, every], CANDIDATE_PARAGRAPHS):
            for rank, hit in enumerate(hits):
                key = (hit.paragraph.doc_id, hit.paragraph.number)
                relative = hit.score / hits[0].score
                before = ranked.get(key, (rank, relative, hit.paragraph))
                ranked[key] = (min(rank, before[0]), max(relative, before[1]), hit.paragraph)
        best = sorted(ranked.values(), key=lambda r: (r[0], -r[1]))
        return [(paragraph, relative) for _, relative, paragraph in best]

    def _with_nearest(self, found: list[tuple[Paragraph, float]], vector: np.ndarray
                      ) -> list[tuple[Paragraph, float]]:
        """BM25's paragraphs (`found`, the words-alone picker's candidates, not searched again),
        followed by those of the encoder's nearest sentences to the question's `vector` in each
        language that are not among them (a relative score of 0)."""
        known = {(p.doc_id, p.number) for p, _ in found}
        found = list(found)
        for language in sorted(self.languages):
            for key, _, _ in self.index.vectors.nearest(vector, DENSE_NEAREST, language):
                if key not in known:
                    known.add(key)
                    found.append((self._paragraph(*key), 0.0))
        return found

    def _paragraph(self, doc_id: str, number: int) -> Paragraph:
        return next(p for p in self.index.search.paragraphs_of(doc_id) if p.number == number)

    def query(self, question: str) -> Query:
        """The search a new question makes, with the dictionary's translations."""
        text = " ".join(question.split())
        return search_query(self._parse(text), text)

    def candidates(self, question: str, lexical: bool = False) -> tuple[list[Candidate], np.ndarray]:
        """A new question's candidate sentences and their feature rows, as `answer` weighs
        them: what the picker is fitted on. `lexical`: as it would without the encoder (a question
        answered `by_words` has only the lexical columns either way)."""
        text = " ".join(question.split())
        parsed = self._parse(text)
        vector = None if lexical or self.by_words(text) else self._encode(text)
        return self.extractor.rows(parsed, self._retrieve(parsed, text, vector), query=vector)

    def _meeting_docs(self, query: Query) -> list[str]:
        """The articles "who met whom?" reads: all of a small folder, the best-ranked ones of an archive."""
        docs = [article.doc_id for article in self.index.articles]
        if len(docs) <= MEETINGS_SCAN_ARTICLES:
            return docs
        ranked = {hit.paragraph.doc_id for hit in self.index.search.search(query, CANDIDATE_PARAGRAPHS)}
        return [doc for doc in docs if doc in ranked]


def _within(typed: bool, follows: tuple[tuple[str, int], ...], found: list[tuple[Paragraph, float]]
            ) -> list[tuple[Paragraph, float]]:
    """The paragraphs of the articles `follows` cites when the question asks only its type
    ("What was agreed?" under an answer); else all of them."""
    if not typed:
        return found
    docs = {doc for doc, _ in follows}
    return [(p, score) for p, score in found if p.doc_id in docs]


def _asks_only_its_type(parsed: ParsedQuestion) -> bool:
    """"What was agreed?", "Nhất trí gì?" (a button's words): nothing named but what the type
    asks, which the articles of the answer before say or do not."""
    cues = {fold(c) for c in question_types()["cues"].get(parsed.kind, ())}
    return all(fold(c.label) in cues for c in parsed.concepts)


def _is_follow_up(text: str, parsed: ParsedQuestion) -> bool:
    if not parsed.concepts:
        return True
    folded = fold(" ".join(words(text)))
    starts = any(re.match(rf"{re.escape(fold(m))}(?!\w)", folded) for m in question_types()["follow_up"])
    return starts and len(parsed.concepts) <= FOLLOW_UP_MAX_CONCEPTS


def search_query(parsed: ParsedQuestion, text: str, translated: bool = True) -> Query:
    folded: list[str] = []
    for concept in parsed.concepts:
        for alternative in concept.alternatives if translated else concept.own:
            folded.extend(sorted(alternative))
    folded.extend(parsed.pairs)
    exact = analyze(text, parsed.language).exact if has_diacritics(text.casefold()) else []
    return Query(folded=folded, exact=exact)


def _to_answer(question: str, language: str, parsed: ParsedQuestion, selection: Selection) -> Answer:
    kind = "no_date" if selection.undated else "no_figure" if selection.unfigured else parsed.kind
    answer = Answer(question, language, selection.answered, kind)
    if not selection.answered:
        return answer
    keys: dict[tuple[str, int], int] = {}
    for pick in selection.picks:
        paragraph = pick.paragraph
        key = (paragraph.doc_id, paragraph.number)
        if key not in keys:
            answer.citations.append(_citation(paragraph))
            keys[key] = len(answer.citations)
        items = tuple(selection.items) if pick is selection.picks[0] else ()
        text = pick.sentence if items else pick.text
        partial = pick.part_of_sentence and not items
        answer.quotes.append(Quote(without_bullet(text) if partial else text, keys[key], paragraph.language, items,
                                   cut_before=partial and not pick.sentence.startswith(text),
                                   cut_after=partial and not pick.sentence.endswith(text)))
    return answer


def _citation(paragraph: Paragraph) -> Citation:
    return Citation(paragraph.doc_id, paragraph.number, paragraph.text, paragraph.title, paragraph.language,
                    paragraph.url, paragraph.date)


def _quote_alone(answer: Answer, paragraph: Paragraph, sentence: str) -> None:
    """The answer quotes `sentence` of `paragraph`, and cites that paragraph alone."""
    answer.citations = [_citation(paragraph)]
    answer.quotes = [Quote(sentence, 1, paragraph.language)]
