"""Xapian term index: one database against two shards, read locally and through xapian-tcpsrv.

    python3 benchmarks/shards.py 10k [--queries 200] [--cache /tmp/citebot-bench]

Generates (or reuses) a corpus with corpus.py, tokenizes every article once with
index.pipeline.process in a process pool into a pickle stream, then feeds the same
tokens to a one-database XapianTerms and to a two-shard one, one after the other and
with no tokenizing alongside; "build" is the time spent in add(), commit() and close().
The two shard folders are then served read-only by two xapian-tcpsrv on 127.0.0.1.
The questions are questions.py's, made from 300 sampled articles and analysed as the
tests analyse theirs (index.tokenize.analyze: folded and exact tokens, no glossary
expansion); each is timed as search(query, 16) against the three layouts in turn,
after 5 warm-up questions, and the script checks that all three rank the same paragraphs.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import xapian

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import corpus
from questions import make_questions

from index.articles import DEFAULT_MAX_ARTICLE_BYTES, article_files
from index.pipeline import process
from index.proper import proper_words
from index.search import Query
from index.tokenize import analyze
from index.xapian_terms import XapianTerms

K = 16  # bot.engine.extract.CANDIDATE_PARAGRAPHS
SAMPLE_ARTICLES = 300
WARMUP = 5


def _process(path: Path):
    article = process(path, DEFAULT_MAX_ARTICLE_BYTES)
    return article.paragraphs, article.tokens


def tokenize(files: list[Path], cache: Path) -> None:
    """Tokenize every article once, in a process pool, into a pickle stream the builds then read."""
    with Pool(os.cpu_count()) as pool, cache.open("wb") as out:
        for article in pool.imap(_process, files, chunksize=8):
            pickle.dump(article, out, pickle.HIGHEST_PROTOCOL)


def articles(cache: Path):
    with cache.open("rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def build(cache: Path, folder: Path, shards: int) -> float:
    """Seconds spent in add(), commit() and close(): reading the tokens is not counted."""
    shutil.rmtree(folder, ignore_errors=True)
    terms = XapianTerms(folder, writable=True, shards=shards)
    spent, pid = 0.0, 0
    for paragraphs, tokens in articles(cache):
        started = time.perf_counter()
        for paragraph, toks in zip(paragraphs, tokens):
            terms.add(pid, paragraph.doc_id, toks)
            pid += 1
        spent += time.perf_counter() - started
    started = time.perf_counter()
    terms.commit()
    terms.close()
    return spent + time.perf_counter() - started


def serve(folder: Path) -> tuple[subprocess.Popen, str]:
    """One read-only xapian-tcpsrv on a free port, once it answers Xapian's handshake."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", str(port), str(folder)],
                              start_new_session=True)
    while True:
        try:
            xapian.remote_open("127.0.0.1", port).close()
            return server, f"127.0.0.1:{port}"
        except xapian.NetworkError:
            if server.poll() is not None:
                raise RuntimeError(f"xapian-tcpsrv exited serving {folder}") from None
            time.sleep(0.05)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("size", help="paragraphs: 10k, 100k or a number")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--cache", type=Path, default=corpus.DEFAULT_ROOT)
    args = ap.parse_args(argv)

    docs = corpus.ensure_corpus(corpus.parse_size(args.size), args.cache / args.size)
    work = args.cache / "shards" / args.size
    work.mkdir(parents=True, exist_ok=True)
    files = article_files(docs)
    tokens_file = work / "tokens.pickle"
    started = time.perf_counter()
    tokenize(files, tokens_file)
    print(f"{args.size}: {len(files)} articles, tokenized in {time.perf_counter() - started:.1f} s")
    folders = {"one database": (work / "single", 1), "two shards": (work / "sharded", 2)}
    for name, (folder, shards) in folders.items():
        seconds = build(tokens_file, folder, shards)
        mib = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20
        print(f"  build {name}: {seconds:.2f} s, {mib:.0f} MiB on disk")

    chosen = set(random.Random(42).sample(range(len(files)), min(SAMPLE_ARTICLES, len(files))))
    sampled = [p for i, (paragraphs, _) in enumerate(articles(tokens_file)) if i in chosen for p in paragraphs]
    function = frozenset(json.loads((ROOT / "bot" / "engine" / "data" / "function_words.json").read_text("utf-8"))["words"])
    asked = make_questions(sampled, args.queries + WARMUP, 42, proper_words(p.text for p in sampled), function)
    queries = [Query(t.folded, t.exact) for t in (analyze(q["q"], q["lang"]) for q in asked)]

    sharded = folders["two shards"][0]
    servers = [serve(sharded / f"shard-{i}") for i in range(2)]
    try:
        layouts = {"one local database": XapianTerms(folders["one database"][0]),
                   "two local shards": XapianTerms(sharded),
                   "two remote shards": XapianTerms(sharded, remotes=[address for _, address in servers])}
        times = {name: [] for name in layouts}
        differ = 0
        for n, query in enumerate(queries):
            results = []
            for name, terms in layouts.items():
                started = time.perf_counter()
                results.append(terms.search(query, K))
                if n >= WARMUP:
                    times[name].append((time.perf_counter() - started) * 1000)
            differ += any([p for p, _ in r] != [p for p, _ in results[0]] for r in results)
        for terms in layouts.values():
            terms.close()
    finally:
        for server, _ in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    print(f"  {len(queries) - WARMUP} timed questions, search(query, {K}); ranked differently by the layouts: {differ} of {len(queries)}")
    for name, ms in times.items():
        print(f"  {name}: p50 {np.percentile(ms, 50):.2f} ms, p99 {np.percentile(ms, 99):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
