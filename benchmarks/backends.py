#!/usr/bin/env python3
"""How much the tantivy backend's rankings and answers differ from the in-memory rank-bm25 ones.

    python3 benchmarks/backends.py [--size 10k] [--queries 200]

Builds (or reuses) both indexes of a generated corpus (see corpus.py) and asks each
the benchmark's questions (questions.py, the same seed as bench.py). Prints, over the
questions: the mean overlap of the two top-16 candidate sets, how often the best
paragraph is the same, and how often the whole reply is the same.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402
from questions import make_questions  # noqa: E402

from bot.engine import Engine  # noqa: E402
from bot.engine.extract import CANDIDATE_PARAGRAPHS  # noqa: E402
from bot.render import full_text  # noqa: E402
from index.store import load  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="10k", help="a generated corpus size: 10k, 100k, ... (default 10k)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--cache", type=Path, default=corpus.DEFAULT_ROOT)
    args = ap.parse_args()
    docs = corpus.ensure_corpus(corpus.parse_size(args.size), args.cache / args.size)
    engines = {name: Engine(load(docs, args.cache / "compare" / f"{args.size}-{name}", backend=name))
               for name in ("memory", "tantivy")}
    memory, disk = engines["memory"], engines["tantivy"]
    articles = random.Random(args.seed).sample(memory.index.articles, min(300, len(memory.index.articles)))
    sample = [p for a in articles for p in memory.index.search.paragraphs_of(a.doc_id)]
    function = frozenset(json.loads((HERE.parent / "bot" / "engine" / "data" / "function_words.json").read_text("utf-8"))["words"])
    questions = [q["q"] for q in make_questions(sample, args.queries, args.seed, proper=memory.index.proper,
                                                function=function)]
    overlap = same_top = same_reply = 0.0
    for question in questions:
        query = memory.query(question)
        ranked = [[(h.paragraph.doc_id, h.paragraph.number) for h in e.index.search.search(query, CANDIDATE_PARAGRAPHS)]
                  for e in (memory, disk)]
        if ranked[0] or ranked[1]:
            overlap += len(set(ranked[0]) & set(ranked[1])) / max(len(ranked[0]), len(ranked[1]))
        same_top += ranked[0][:1] == ranked[1][:1]
        same_reply += full_text(memory.answer(question)) == full_text(disk.answer(question))
    n = len(questions)
    print(f"{args.size}, {n} questions: top-{CANDIDATE_PARAGRAPHS} overlap {overlap / n:.1%}, "
          f"same best paragraph {same_top / n:.1%}, same reply {same_reply / n:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
