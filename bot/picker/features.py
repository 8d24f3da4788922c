"""What the picker knows about a candidate sentence: a row of numbers, each one explainable.

Coverage features weigh each concept of the question by its idf and count it once,
whichever of its translations matched (Pirkola's structured queries), so a word with
ten dictionary translations does not outweigh a name with one. Exact matches and
matches through a translation are kept apart, because a translation is weaker evidence.
The rest say what kind of thing the sentence holds (a date for "when", a new name for
"who"), where it stands, and how well its paragraph was ranked.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from index.chunk import Paragraph, parts
from index.search import Retriever

from ..questions import Concept, ParsedQuestion
from .evidence import SentenceFacts, facts, new_names

# Each feature, in the order of a row; the weights file names them, so a model fitted
# for another list is refused rather than misread.
NAMES = (
    "bias",
    "own_coverage",          # question concepts the sentence holds in the question's own words
    "translated_coverage",   # ... only through the glossary or dictionary
    "neighbour_coverage",    # ... that the sentences before and after add
    "paragraph_coverage",    # ... anywhere in the paragraph
    "article_coverage",      # ... anywhere in the article
    "missing_in_article",    # the weightiest concept the article lacks (its share of the weight)
    "phrase_coverage",       # the question's adjacent word pairs the sentence holds
    "sentence_bm25",         # BM25 of the sentence, relative to the best candidate's
    "paragraph_bm25",        # retrieval score of the paragraph, relative to the best
    "paragraph_rank",        # 1 / (1 + rank of the paragraph)
    "new_words",             # share of the sentence's words the question does not use
    "length",                # log of the sentence's word count
    "first_sentence",
    "title",                 # the article's title or a heading: says little by itself
    "same_language",
    "type_date",             # a when-question and a sentence with a date
    "type_number",           # a how-many question and a number
    "type_name",             # a who/where question and a name the question does not give
    "type_missing",          # the question asks a type the sentence does not hold
    "previous_coverage",     # coverage of the sentence before (the answer may follow it)
)
INDEX = {name: i for i, name in enumerate(NAMES)}
BM25_K1, BM25_B = 1.2, 0.75
TYPED = {"when", "quantity", "who", "where", "role", "who_met"}


@dataclass
class Candidate:
    paragraph: Paragraph
    text: str
    sentence: str  # the whole sentence the text comes from
    part_of_sentence: bool
    tokens: frozenset[str]
    facts: SentenceFacts


def idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def concept_weight(concept: Concept, search: Retriever) -> float:
    """idf of the concept: its alternatives' paragraphs together, as one term."""
    n = search.size or 1
    df = sum(min((search.doc_freq(t) for t in alternative), default=0) for alternative in concept.alternatives)
    return idf(min(df, n), n)


def match(concept: Concept, tokens: frozenset[str]) -> int:
    """2 when the question's own words occur, 1 through a translation, else 0."""
    if any(alt <= tokens for alt in concept.own):
        return 2
    if any(alt <= tokens for alt in concept.alternatives):
        return 1
    return 0


def candidates_of(paragraph: Paragraph, tokenize) -> list[Candidate]:
    """The quotable parts of a paragraph with their tokens and facts."""
    pieces = parts(paragraph.text)
    known = [frozenset(p.split()) for p in paragraph.part_tokens.split("\t")] if paragraph.part_tokens else []
    if len(known) != len(pieces):  # a paragraph made outside the index
        known = [tokenize(part, paragraph.language) for part, _, _ in pieces]
    return [Candidate(paragraph, part, sentence, cut, tokens, facts(part, paragraph.language))
            for (part, sentence, cut), tokens in zip(pieces, known)]


def matrix(question: ParsedQuestion, paragraphs: list[tuple[Paragraph, float, list[Candidate]]],
           search: Retriever, asked: frozenset[str], proper: frozenset[str]) -> np.ndarray:
    """One row per candidate of every paragraph, in order."""
    concepts = question.concepts
    weights = np.array([concept_weight(c, search) for c in concepts]) if concepts else np.zeros(0)
    total = weights.sum() or 1.0
    n = search.size or 1
    query_tokens = {t for c in concepts for alt in c.own for t in alt}
    token_idf = {t: idf(search.doc_freq(t), n) for t in query_tokens}
    pairs = question.pairs
    top_bm25 = max((s for _, s, _ in paragraphs), default=1.0) or 1.0
    rows = []
    lengths = []
    for rank, (paragraph, score, cands) in enumerate(paragraphs):
        matches = np.array([[match(c, cand.tokens) for c in concepts] for cand in cands]).reshape(len(cands), -1)
        par_tokens = frozenset().union(*(c.tokens for c in cands))
        doc_tokens = search.article_words(paragraph.doc_id)
        in_paragraph = np.array([match(c, par_tokens) > 0 for c in concepts], dtype=float)
        in_article = np.array([match(c, doc_tokens) > 0 for c in concepts], dtype=float)
        missing = max((w for w, here in zip(weights, in_article) if not here), default=0.0) / total
        for i, cand in enumerate(cands):
            row = np.zeros(len(NAMES))
            here = matches[i]
            around = np.zeros(len(concepts))
            if i > 0:
                around = np.maximum(around, matches[i - 1] > 0)
            if i + 1 < len(cands):
                around = np.maximum(around, matches[i + 1] > 0)
            words = [t for t in cand.tokens if "_" not in t]
            row[INDEX["bias"]] = 1.0
            row[INDEX["own_coverage"]] = weights @ (here == 2) / total
            row[INDEX["translated_coverage"]] = weights @ (here == 1) / total
            row[INDEX["neighbour_coverage"]] = weights @ (around * (here == 0)) / total
            row[INDEX["paragraph_coverage"]] = weights @ in_paragraph / total
            row[INDEX["article_coverage"]] = weights @ in_article / total
            row[INDEX["missing_in_article"]] = missing
            row[INDEX["phrase_coverage"]] = sum(p in cand.tokens for p in pairs) / len(pairs) if pairs else 0.0
            row[INDEX["sentence_bm25"]] = sum(v for t, v in token_idf.items() if t in cand.tokens)
            row[INDEX["paragraph_bm25"]] = score / top_bm25
            row[INDEX["paragraph_rank"]] = 1.0 / (1 + rank)
            row[INDEX["new_words"]] = sum(w not in asked for w in words) / len(words) if words else 0.0
            row[INDEX["length"]] = math.log1p(len(words))
            row[INDEX["first_sentence"]] = float(i == 0)
            row[INDEX["title"]] = float(paragraph.kind in ("title", "heading", "caption"))
            row[INDEX["same_language"]] = float(paragraph.language == question.language)
            _type_features(row, question.kind, cand.facts, asked, proper)
            row[INDEX["previous_coverage"]] = weights @ (matches[i - 1] > 0) / total if i > 0 else 0.0
            rows.append(row)
            lengths.append(len(words))
    if not rows:
        return np.zeros((0, len(NAMES)))
    out = np.vstack(rows)
    # BM25's length normalisation over these sentences, then relative to the best one.
    lengths_ = np.array(lengths, dtype=float)
    norm = (BM25_K1 + 1) / (1 + BM25_K1 * (1 - BM25_B + BM25_B * lengths_ / (lengths_.mean() or 1.0)))
    bm25 = out[:, INDEX["sentence_bm25"]] * norm
    out[:, INDEX["sentence_bm25"]] = bm25 / (bm25.max() or 1.0)
    return out


def _type_features(row: np.ndarray, kind: str, sentence: SentenceFacts, asked: frozenset[str],
                   proper: frozenset[str]) -> None:
    date = kind == "when" and sentence.date
    number = kind == "quantity" and sentence.number
    name = kind in ("who", "where", "role", "who_met") and bool(new_names(sentence, asked, proper))
    row[INDEX["type_date"]] = float(date)
    row[INDEX["type_number"]] = float(number)
    row[INDEX["type_name"]] = float(name)
    row[INDEX["type_missing"]] = float(kind in TYPED and not (date or number or name))
