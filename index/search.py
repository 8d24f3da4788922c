"""Retrieval behind one small interface, so the engine does not care what serves it."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from .chunk import Paragraph
from .tokenize import Tokens

EXACT_WEIGHT = 0.5  # how much an exact (accented) match adds over a folded one


@dataclass(frozen=True)
class Query:
    folded: list[str]
    exact: list[str]


@dataclass(frozen=True)
class Hit:
    paragraph: Paragraph
    score: float


class Postings:
    """One field's BM25 term weights, paragraph by paragraph, from rank-bm25's own statistics.

    rank-bm25's get_scores walks every paragraph's term dictionary once per query
    token (over a second a question at 100k paragraphs); summing precomputed weights
    over each token's postings gives the same scores in well under a millisecond.
    """

    def __init__(self, corpus: list[list[str]]):
        bm25 = BM25Okapi(corpus)  # idf (floored at epsilon * mean idf), k1, b, lengths
        doc_len = np.asarray(bm25.doc_len, dtype=np.float64)
        norm = bm25.k1 * (1 - bm25.b + bm25.b * doc_len / bm25.avgdl)
        ids: dict[str, list[int]] = defaultdict(list)
        freqs: dict[str, list[int]] = defaultdict(list)
        for doc, counts in enumerate(bm25.doc_freqs):
            for token, tf in counts.items():
                ids[token].append(doc)
                freqs[token].append(tf)
        self.size = len(corpus)
        self.table: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for token, docs in ids.items():
            where = np.asarray(docs, dtype=np.int32)
            tf = np.asarray(freqs[token], dtype=np.float64)
            self.table[token] = (where, bm25.idf[token] * tf * (bm25.k1 + 1) / (tf + norm[where]))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """What BM25Okapi.get_scores(tokens) returns, a repeated token counting again."""
        scores = np.zeros(self.size)
        for token, count in Counter(tokens).items():
            posting = self.table.get(token)
            if posting is not None:
                np.add.at(scores, posting[0], count * posting[1])
        return scores


class Bm25Search:
    """BM25 over two fields: folded tokens for recall, exact tokens to prefer accents.

    rank-bm25 computes the statistics; BM25Okapi floors the idf of a term found in half
    or more of the paragraphs at epsilon * mean idf, so common words count little but
    never negatively.
    """

    def __init__(self, paragraphs: list[Paragraph], tokens: list[Tokens]):
        self.paragraphs = paragraphs
        self.doc_freq = Counter(t for toks in tokens for t in set(toks.folded))
        self._folded = Postings([t.folded for t in tokens]) if any(t.folded for t in tokens) else None
        self._exact = Postings([t.exact for t in tokens]) if any(t.exact for t in tokens) else None

    def search(self, query: Query, k: int) -> list[Hit]:
        if not self.paragraphs or self._folded is None:
            return []
        scores = self._folded.scores(query.folded)
        if query.exact and self._exact is not None:
            scores = scores + EXACT_WEIGHT * self._exact.scores(query.exact)
        if k < len(scores):  # select the k best first: sorting every paragraph costs milliseconds
            best = np.argpartition(-scores, k)[:k]
            top = best[np.argsort(-scores[best], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        return [Hit(self.paragraphs[i], float(scores[i])) for i in top if scores[i] > 0]
