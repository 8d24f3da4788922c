#!/usr/bin/env python3
"""Answers through `python -m bot console --json`, as a script that pipes questions meets them, against a naive
rank-bm25 script over the same folder in the same run.

    python3 benchmarks/console.py DOCS INDEX_DIR QUESTIONS [--queries 200] [--passes 2]

QUESTIONS is a file of one question a line (`gen_corpus.py` writes one) or bench.py's questions JSON; the first
--queries distinct ones are asked, each pass in the same console process: the first pass is what a new question
costs, the later ones what a repeated one does. The index must be built (`python -m bot index`); the console's
start (index load) is timed apart. The naive script reads every paragraph of the folder's .txt and .md files
(split at blank lines), builds rank_bm25.BM25Okapi over lowercased whitespace tokens, and for each question sorts
get_scores for the 16 best paragraphs: what an answer costs without an index.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATE_K = 16  # as bench.py: the paragraphs the engine weighs


def read_questions(path: Path, n: int) -> list[str]:
    text = path.read_text("utf-8")
    if path.suffix == ".json":
        found = [q["q"] for q in json.loads(text)["questions"]]
    else:
        found = [line.strip() for line in text.splitlines() if line.strip()]
    return list(dict.fromkeys(found))[:n]


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, where /proc tells it. On a shared machine wall
    time grows with the other processes' load; the CPU an answer takes much less so."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def console_passes(docs: Path, index_dir: Path, questions: list[str], passes: int
                   ) -> tuple[float, list[list[float]], list[float | None]]:
    """Seconds to the console's first answer, each pass's seconds per answer, and each pass's CPU seconds
    per answer (a mean: the kernel counts in ticks of 10 ms)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", "console", "--json", "--docs", str(docs),
                                "--index-dir", str(index_dir)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, encoding="utf-8", env=env, cwd=ROOT)
    process.stdin.write("/help\n")  # no question: the start (index load) is timed on its own
    process.stdin.flush()
    process.stdout.readline()
    start_s = time.perf_counter() - started
    timings, cpu = [], []
    for _ in range(passes):
        seconds = []
        cpu_before = cpu_seconds(process.pid)
        for question in questions:
            t0 = time.perf_counter()
            process.stdin.write(question.replace("\n", " ") + "\n")
            process.stdin.flush()
            json.loads(process.stdout.readline())
            seconds.append(time.perf_counter() - t0)
        timings.append(seconds)
        cpu_after = cpu_seconds(process.pid)
        cpu.append(None if cpu_before is None or cpu_after is None else (cpu_after - cpu_before) / len(questions))
    process.stdin.close()
    process.wait(60)
    return start_s, timings, cpu


def naive(docs: Path, questions: list[str]) -> tuple[float, list[float], float]:
    """The naive script: build seconds, seconds per question, and CPU seconds per question (a mean)."""
    import numpy as np
    from rank_bm25 import BM25Okapi

    started = time.perf_counter()
    paragraphs = [block for path in sorted(docs.iterdir()) if path.suffix in (".txt", ".md")
                  for block in path.read_text("utf-8").split("\n\n") if block.strip()]
    bm25 = BM25Okapi([p.lower().split() for p in paragraphs])
    build_s = time.perf_counter() - started
    seconds = []
    cpu_before = time.process_time()
    for question in questions:
        t0 = time.perf_counter()
        np.argsort(-bm25.get_scores(question.lower().split()), kind="stable")[:CANDIDATE_K]
        seconds.append(time.perf_counter() - t0)
    return build_s, seconds, (time.process_time() - cpu_before) / len(questions)


def summary(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"mean {statistics.fmean(ms):.2f} ms, p50 {statistics.median(ms):.2f} ms, p99 {p99:.2f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("docs", type=Path)
    ap.add_argument("index_dir", type=Path)
    ap.add_argument("questions", type=Path)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--passes", type=int, default=2)
    args = ap.parse_args()
    questions = read_questions(args.questions, args.queries)
    start_s, passes, cpu = console_passes(args.docs, args.index_dir, questions, args.passes)
    print(f"console: {len(questions)} distinct questions; start {start_s:.2f} s")
    for n, (seconds, used) in enumerate(zip(passes, cpu), 1):
        print(f"  pass {n}: {summary(seconds)}" + (f"; CPU {used * 1000:.2f} ms an answer" if used is not None else ""))
    build_s, naive_seconds, naive_cpu = naive(args.docs, questions)
    print(f"naive rank-bm25: build {build_s:.1f} s; {summary(naive_seconds)}; CPU {naive_cpu * 1000:.2f} ms a question")
    print(f"naive / console first pass, mean per answer: "
          f"{statistics.fmean(naive_seconds) / statistics.fmean(passes[0]):.1f}x"
          + (f" (CPU {naive_cpu / cpu[0]:.1f}x)" if cpu[0] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
