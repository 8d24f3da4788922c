"""Retrieval behind one small interface, so the engine does not care what serves it.

`Retriever` is what the engine asks of an index. Two implementations:

* `Bm25Search`  - everything in memory, rank-bm25's statistics: the default for small folders;
* `DiskSearch`  - paragraphs in SQLite (`paragraph_store`) and postings in a term index
                  on disk (`TantivyTerms`, or `XapianTerms` over shards): for archives.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from .chunk import Paragraph
from .ranked import top_k
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


class Retriever(Protocol):
    name: str

    @property
    def size(self) -> int:
        """How many paragraphs are searched."""

    def search(self, query: Query, k: int) -> list[Hit]:
        """The k best paragraphs, best first; only those that match at all."""

    def search_each(self, queries: list[Query], k: int) -> list[list[Hit]]:
        """`search` of each query (a question makes two)."""

    def doc_freq(self, token: str) -> int:
        """In how many paragraphs a folded token occurs."""

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        """An article's paragraphs in reading order."""

    def article_words(self, doc_ids: Collection[str], among: frozenset[str]) -> dict[str, frozenset[str]]:
        """Which of the folded tokens `among` (a question's, typically) occur in each of these articles."""


class TermIndex(Protocol):
    """The postings half of a disk index: paragraph ids and scores, no text."""

    name: str
    size: int

    def search(self, query: Query, k: int) -> list[tuple[int, float]]: ...

    def search_many(self, queries: list[Query], k: int) -> list[list[tuple[int, float]]]: ...

    def doc_freq(self, token: str) -> int: ...


class Postings:
    """One field's BM25 term weights, paragraph by paragraph, from rank-bm25's own statistics.

    rank-bm25's get_scores walks every paragraph's term dictionary once per query
    token (over a second a question at 100k paragraphs); summing precomputed weights
    over each token's postings gives the same scores in well under a millisecond.
    All postings lie end to end in two arrays, a token's at its slice: the saved index
    then unpickles two arrays, not two per token (thousands of small ones slowed every `ask`).
    """

    def __init__(self, corpus: list[list[str]]):
        from rank_bm25 import BM25Okapi  # here: answering from a saved index needs only the weights

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
        self.slices: dict[str, tuple[int, int]] = {}
        where, weights, start = [], [], 0
        for token, docs in ids.items():
            docs_of = np.asarray(docs, dtype=np.int32)
            tf = np.asarray(freqs[token], dtype=np.float64)
            where.append(docs_of)
            weights.append(bm25.idf[token] * tf * (bm25.k1 + 1) / (tf + norm[docs_of]))
            self.slices[token] = (start, start + len(docs))
            start += len(docs)
        self.docs = np.concatenate(where) if where else np.zeros(0, dtype=np.int32)
        self.weights = np.concatenate(weights) if weights else np.zeros(0)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """What BM25Okapi.get_scores(tokens) returns, a repeated token counting again."""
        scores = np.zeros(self.size)
        for token, count in Counter(tokens).items():
            found = self.slices.get(token)
            if found is not None:
                start, end = found
                np.add.at(scores, self.docs[start:end], count * self.weights[start:end])
        return scores


class Bm25Search:
    """BM25 over two fields: folded tokens for recall, exact tokens to prefer accents.

    rank-bm25 computes the statistics; BM25Okapi floors the idf of a term found in half
    or more of the paragraphs at epsilon * mean idf, so common words count little but
    never negatively.
    """

    name = "memory"

    def __init__(self, paragraphs: list[Paragraph], tokens: list[Tokens]):
        self.paragraphs = paragraphs
        self._doc_freq = Counter(t for toks in tokens for t in set(toks.folded))
        self._by_doc: dict[str, list[Paragraph]] = defaultdict(list)
        words: dict[str, set[str]] = defaultdict(set)
        for paragraph, toks in zip(paragraphs, tokens):
            self._by_doc[paragraph.doc_id].append(paragraph)
            words[paragraph.doc_id].update(toks.folded)
        self._words = {doc: frozenset(w) for doc, w in words.items()}
        self._folded = Postings([t.folded for t in tokens]) if any(t.folded for t in tokens) else None
        self._exact = Postings([t.exact for t in tokens]) if any(t.exact for t in tokens) else None

    @property
    def size(self) -> int:
        return len(self.paragraphs)

    def doc_freq(self, token: str) -> int:
        return self._doc_freq.get(token, 0)

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        return self._by_doc.get(doc_id, [])

    def article_words(self, doc_ids: Collection[str], among: frozenset[str]) -> dict[str, frozenset[str]]:
        return {doc: self._words.get(doc, frozenset()) & among for doc in doc_ids}

    def search(self, query: Query, k: int) -> list[Hit]:
        if not self.paragraphs or self._folded is None:
            return []
        scores = self._folded.scores(query.folded)
        if query.exact and self._exact is not None:
            scores = scores + EXACT_WEIGHT * self._exact.scores(query.exact)
        top = top_k(scores, k)  # select the k best first: sorting every paragraph costs milliseconds
        return [Hit(self.paragraphs[i], float(scores[i])) for i in top if scores[i] > 0]

    def search_each(self, queries: list[Query], k: int) -> list[list[Hit]]:
        return [self.search(query, k) for query in queries]


class DiskSearch:
    """A term index on disk for the ranking, the paragraph store for the text."""

    def __init__(self, terms: TermIndex, store):
        self.terms = terms
        self.store = store
        self.name = terms.name

    @property
    def size(self) -> int:
        return self.terms.size

    def doc_freq(self, token: str) -> int:
        return self.terms.doc_freq(token)

    def search(self, query: Query, k: int) -> list[Hit]:
        return self.search_each([query], k)[0]

    def search_each(self, queries: list[Query], k: int) -> list[list[Hit]]:
        """A query holding an earlier one's tokens in another order is not searched again (the term index sorts
        them: the same hits), the term index may run the others at once, and the paragraphs of all the hits are
        read in one query, those the searches share once."""
        keys = [(tuple(sorted(q.folded)), tuple(sorted(q.exact))) for q in queries]
        distinct = dict(zip(keys, queries))
        ranked = dict(zip(distinct, self.terms.search_many(list(distinct.values()), k)))
        paragraphs = self.store.paragraphs(list({pid: None for found in ranked.values() for pid, _ in found}))
        return [[Hit(paragraphs[pid], score) for pid, score in ranked[key] if pid in paragraphs and score > 0]
                for key in keys]

    def paragraphs_of(self, doc_id: str) -> list[Paragraph]:
        return self.store.paragraphs_of(doc_id)

    def article_words(self, doc_ids: Collection[str], among: frozenset[str]) -> dict[str, frozenset[str]]:
        return self.store.article_words(doc_ids, among)
