"""The large-corpus term index: tantivy, on disk, fed the project's own tokens.

Tantivy's own tokenizers would split Vietnamese differently from the rest of the
bot; here each field is the project's token stream joined by spaces and read back
by a whitespace tokenizer, so syllables, pairs, folding and stems are exactly those
of `index.tokenize`. It scores BM25 itself (k1 1.2, b 0.75, idf without rank-bm25's
epsilon floor), keeps the postings on disk and takes deletions, so one article can
be replaced in a million-paragraph index.
"""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import tantivy

from .search import EXACT_WEIGHT, Query
from .tokenize import Tokens

_TOKENIZER = "citebot_tokens"
WRITER_HEAP_BYTES = 256 * 2**20


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("folded", tokenizer_name=_TOKENIZER, index_option="freq")
    builder.add_text_field("exact", tokenizer_name=_TOKENIZER, index_option="freq")
    builder.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    builder.add_unsigned_field("pid", fast=True)
    return builder.build()


@cache
def _beside() -> ThreadPoolExecutor:
    """Where a question's second search runs while the first does: tantivy lets go of the GIL while it
    searches, so on two cores the two take the time of the longer (one thread: a bot's questions take turns)."""
    return ThreadPoolExecutor(1, thread_name_prefix="tantivy-search")


class TantivyTerms:
    name = "tantivy"

    def __init__(self, folder: Path, writable: bool = False):
        folder = Path(folder)
        self._schema = _schema()
        if writable:
            folder.mkdir(parents=True, exist_ok=True)
        elif not tantivy.Index.exists(str(folder)):
            raise FileNotFoundError(folder)
        self._index = tantivy.Index(self._schema, path=str(folder), reuse=True)
        self._index.register_tokenizer(_TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
        self._writer = self._index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=2) if writable else None
        self._searcher = self._index.searcher()

    def add(self, pid: int, doc_id: str, tokens: Tokens) -> None:
        document = tantivy.Document()
        document.add_unsigned("pid", pid)
        document.add_text("doc", doc_id)
        document.add_text("folded", " ".join(tokens.folded))
        document.add_text("exact", " ".join(tokens.exact))
        self._writer.add_document(document)

    def remove(self, doc_id: str) -> None:
        self._writer.delete_documents_by_term("doc", doc_id)

    def commit(self) -> None:
        """Make what was added and removed visible, atomically: a crash before this leaves the last commit."""
        self._writer.commit()
        self._index.reload()
        self._searcher = self._index.searcher()

    def close(self) -> None:
        """Let segment merges finish and release the writer's lock on the folder."""
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    @property
    def size(self) -> int:
        return self._searcher.num_docs

    def doc_freq(self, token: str) -> int:
        return self._searcher.doc_freq("folded", token)

    def search(self, query: Query, k: int) -> list[tuple[int, float]]:
        """(paragraph id, score) of the k best, a repeated query token counting again as in rank-bm25.

        The clauses go in sorted order: the engine sums their scores in that order, and the
        question's tokens come in an order that differs between processes (set iteration), so
        unsorted a paragraph at the cut could be in or out depending on the process."""
        clauses = []
        for field, tokens, weight in (("folded", query.folded, 1.0), ("exact", query.exact, EXACT_WEIGHT)):
            for token, count in sorted(Counter(tokens).items()):
                term = tantivy.Query.term_query(self._schema, field, token)
                clauses.append((tantivy.Occur.Should, tantivy.Query.boost_query(term, weight * count)))
        if not clauses:
            return []
        # Not counting every match lets tantivy skip postings blocks that cannot reach the k best (block-max
        # WAND): the same hits, in the same order.
        hits = self._searcher.search(tantivy.Query.boolean_query(clauses), k, count=False).hits
        pids = self._searcher.fast_field_values("pid", [address for _, address in hits])
        return [(pid, score) for (score, _), pid in zip(hits, pids)]

    def search_many(self, queries: list[Query], k: int) -> list[list[tuple[int, float]]]:
        """`search` of each query, the later ones in another thread while this one runs the first."""
        later = [_beside().submit(self.search, query, k) for query in queries[1:]]
        return [self.search(queries[0], k), *(future.result() for future in later)] if queries else []
