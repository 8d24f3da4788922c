"""Retrieval behind one small interface, so the engine does not care what serves it."""
from __future__ import annotations

import math
from collections import Counter
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


class Bm25Search:
    """rank-bm25 over two fields: folded tokens for recall, exact tokens to prefer accents.

    BM25Okapi floors the idf of a term found in half or more of the paragraphs at
    epsilon * mean idf, so common words count little but never negatively.
    """

    name = "rank-bm25"

    def __init__(self, paragraphs: list[Paragraph], tokens: list[Tokens]):
        self.paragraphs = paragraphs
        self.doc_freq = Counter(t for toks in tokens for t in set(toks.folded))
        self._folded = BM25Okapi([t.folded for t in tokens]) if any(t.folded for t in tokens) else None
        self._exact = BM25Okapi([t.exact for t in tokens]) if any(t.exact for t in tokens) else None

    def idf(self, token: str) -> float:
        """Always-positive idf; a token absent from the corpus gets the highest."""
        n = len(self.paragraphs)
        df = self.doc_freq.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, query: Query, k: int) -> list[Hit]:
        if not self.paragraphs or self._folded is None:
            return []
        scores = self._folded.get_scores(query.folded)
        if query.exact and self._exact is not None:
            scores = scores + EXACT_WEIGHT * self._exact.get_scores(query.exact)
        top = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.paragraphs[i], float(scores[i])) for i in top if scores[i] > 0]
