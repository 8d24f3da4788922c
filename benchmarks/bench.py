#!/usr/bin/env python3
"""Benchmark the bot: cold start, index build, per-answer latency, and a naive BM25 baseline.

    python3 benchmarks/bench.py [--sizes bundled,10k,100k] [--queries 200] [--out DIR]

Per corpus size ("bundled" = docs_src/; "10k", "100k", "1m" = generated corpora of that
many paragraphs, see corpus.py) it measures, each in a child process so that a size
that runs out of its time budget is killed and reported as "timeout":

1. build: index.store.build(folder) time and the child's peak RSS, then save() time and
   the size of the saved index; the child also writes the benchmark questions;
2. cold start: `python -m bot ask --json --docs F --index-dir I "<question>"` as a
   subprocess, one untimed warm-up run, then the median of 5 (start-up + index load +
   one answer, with the saved index warm);
3. per-answer latency over N questions, in process, split as Engine.answer makes its
   stages (Engine.answer's `timings`): retrieval (reading the question, index.search.search),
   extraction (the picker's choice), rendering (the rest of the answer + bot.render.full_text); then
   the naive baseline, rank_bm25.BM25Okapi over all paragraphs with lowercased
   whitespace tokens (get_scores + the same top-k sort), for the same questions.

See benchmarks/README.md for the columns and measured numbers.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(HERE), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import corpus  # stdlib only
from questions import make_questions  # stdlib only

DEFAULT_SIZES = "bundled,10k,100k"
CANDIDATE_K = 16  # bot.engine.extract.CANDIDATE_PARAGRAPHS; the naive baseline sorts the same top k
SAMPLE_ARTICLES = 300
BACKEND = os.environ.get("BOT_INDEX_BACKEND", "auto")  # the parent's --backend, inherited by every child
WARMUP_QUESTIONS = 5
PROFILE_QUESTIONS = 30


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def emit(**record) -> None:
    """One JSON line on stdout: how a child reports to the parent."""
    print(json.dumps(record, ensure_ascii=False), flush=True)


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _function_words() -> frozenset[str]:
    data = json.loads((ROOT / "bot" / "engine" / "data" / "function_words.json").read_text("utf-8"))
    return frozenset(data["words"])


# --- child: build ----------------------------------------------------------------

class DescendantPeak:
    """The largest peak RSS (VmHWM) of this process's descendants while the block runs, sampled from /proc.

    The tokenizing workers are started by a forkserver, so they are not this process's
    children and RUSAGE_CHILDREN never sees them.
    """

    def __init__(self, interval: float = 0.2):
        self.interval, self.mib = interval, 0.0
        self._stop = threading.Event()

    def _descendants(self) -> list[int]:
        parents = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
                parents[int(status.parent.name)] = int(fields["PPid"])
            except (OSError, KeyError, ValueError):
                continue
        mine, found = {os.getpid()}, True
        while found:
            found = False
            for pid, parent in parents.items():
                if parent in mine and pid not in mine:
                    mine.add(pid)
                    found = True
        return [pid for pid in mine if pid != os.getpid()]

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            for pid in self._descendants():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.mib = max(self.mib, int(line.split()[1]) / 1024)
                except OSError:
                    continue

    def __enter__(self) -> "DescendantPeak":
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _sample_paragraphs(index, seed: int) -> list:
    """Paragraphs of up to SAMPLE_ARTICLES articles: what the questions are made from, without reading them all."""
    import random

    articles = index.articles
    if len(articles) > SAMPLE_ARTICLES:
        articles = random.Random(seed).sample(articles, SAMPLE_ARTICLES)
    return [p for a in articles for p in index.search.paragraphs_of(a.doc_id)]


def child_build(docs: str, index_dir: str, questions_file: str, n: int, seed: int) -> int:
    from index.store import build, save

    base = maxrss_mib()
    started = time.perf_counter()
    with DescendantPeak() as workers_peak:
        index = build(Path(docs), Path(index_dir), BACKEND)
    build_s = time.perf_counter() - started
    after_build = maxrss_mib()
    workers = workers_peak.mib
    started = time.perf_counter()
    if index.backend == "memory":
        index_bytes = save(index, Path(index_dir)).stat().st_size
    else:  # written by build() itself
        index_bytes = _disk_bytes(Path(index_dir))
    save_s = time.perf_counter() - started
    emit(phase="build", build_s=build_s, save_s=save_s, articles=len(index.articles), backend=index.backend,
         paragraphs=index.paragraph_count, problems=len(index.problems), rss_base_mib=base,
         rss_build_mib=after_build, rss_worker_mib=workers, rss_save_mib=maxrss_mib(), index_bytes=index_bytes)
    sample = _sample_paragraphs(index, seed)
    qs = make_questions(sample, n, seed, proper=index.proper, function=_function_words())
    warm = make_questions(sample, WARMUP_QUESTIONS, seed + 1, proper=index.proper,
                          function=_function_words())
    Path(questions_file).write_text(json.dumps({"questions": qs, "warmup": warm}, ensure_ascii=False), "utf-8")
    emit(phase="questions", n=len(qs))
    return 0


# --- child: latency --------------------------------------------------------------

def timed_answer(engine, question: str):
    """Engine.answer(question) with its stages timed by the engine itself.

    Returns (rendered text, answered, kind, retrieval s, extraction s, rendering s); rendering
    is the rest of the answer (the short line, the Answer) and bot.render.full_text.
    """
    from bot.render import full_text

    timings: dict[str, float] = {}
    started = time.perf_counter()
    answer = engine.answer(question, timings=timings)
    rendered = full_text(answer)
    total = time.perf_counter() - started
    retrieval, extraction = timings.get("retrieval", total), timings.get("extraction", 0.0)
    return rendered, answer.answered, answer.kind, retrieval, extraction, total - retrieval - extraction


def timed_update(docs: Path, index_dir: Path) -> dict:
    """Seconds for a saved disk index to take in one new article, then to let it go again."""
    from index.store import load

    added = docs / "zz_bench_added.txt"
    source = next(p for p in sorted(docs.iterdir()) if p.suffix == ".txt")
    added.write_bytes(source.read_bytes())
    try:
        started = time.perf_counter()
        paragraphs = load(docs, index_dir, backend=BACKEND).paragraph_count
        add_s = time.perf_counter() - started
    finally:
        added.unlink()
    started = time.perf_counter()
    load(docs, index_dir, backend=BACKEND)
    return {"add_s": add_s, "remove_s": time.perf_counter() - started, "paragraphs_after_add": paragraphs}


def child_latency(docs: str, index_dir: str, questions_file: str) -> int:
    import numpy as np
    from rank_bm25 import BM25Okapi

    from bot.engine import Engine
    from index.store import CURRENT_FILE, INDEX_FILE, load

    saved = next((Path(index_dir) / name for name in (INDEX_FILE, CURRENT_FILE)
                  if (Path(index_dir) / name).exists()), Path(index_dir) / INDEX_FILE)
    mtime = saved.stat().st_mtime_ns if saved.exists() else None
    started = time.perf_counter()
    index = load(Path(docs), Path(index_dir), backend=BACKEND)
    load_s = time.perf_counter() - started
    engine = Engine(index)
    gc.freeze()  # as the Telegram adapter does once the index is loaded
    rebuilt = not saved.exists() or saved.stat().st_mtime_ns != mtime
    data = json.loads(Path(questions_file).read_text("utf-8"))
    qs = [q["q"] for q in data["questions"]]
    for q in data["warmup"]:  # template compilation, first-use caches
        engine.answer(q["q"])
    emit(phase="load", load_s=load_s, rebuilt=rebuilt, rss_loaded_mib=maxrss_mib(), n=len(qs))

    for i, q in enumerate(qs):
        _, answered, kind, r, e, x = timed_answer(engine, q)
        emit(phase="ours", i=i, retrieval=r, extraction=e, render=x, answered=answered, kind=kind, q=q)
        if (i + 1) % 50 == 0:
            log(f"  ours: {i + 1}/{len(qs)} questions")

    started = time.perf_counter()
    naive = BM25Okapi([p.text.lower().split() for p in index.paragraphs()])
    emit(phase="naive_build", seconds=time.perf_counter() - started)
    for i, q in enumerate(qs):
        t0 = time.perf_counter()
        scores = naive.get_scores(q.lower().split())
        np.argsort(-scores, kind="stable")[:CANDIDATE_K]
        emit(phase="naive", i=i, seconds=time.perf_counter() - t0)
        if (i + 1) % 50 == 0:
            log(f"  naive: {i + 1}/{len(qs)} questions")
    del naive

    if index.backend != "memory":
        emit(phase="update", **timed_update(Path(docs), Path(index_dir)))

    emit(phase="done", rss_mib=maxrss_mib())
    return 0


def child_profile(docs: str, index_dir: str, questions_file: str, out: str) -> int:
    """cProfile of index.store.build and of PROFILE_QUESTIONS answers, as text (and .pstats)."""
    import cProfile
    import io
    import pstats

    from bot.engine import Engine
    from index.store import build, load

    text = io.StringIO()

    def report(title: str, prof: cProfile.Profile, name: str) -> None:
        prof.dump_stats(f"{out}-{name}.pstats")
        text.write(f"===== {title}\n")
        stats = pstats.Stats(prof, stream=text).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        Path(out + ".txt").write_text(text.getvalue(), "utf-8")

    prof = cProfile.Profile()
    prof.enable()
    build(Path(docs), Path(tempfile.mkdtemp(prefix="citebot-profile-")), BACKEND)
    prof.disable()
    report(f"index.store.build({docs})", prof, "build")
    log("  profile: build done")
    engine = Engine(load(Path(docs), Path(index_dir), backend=BACKEND))
    data = json.loads(Path(questions_file).read_text("utf-8"))
    for q in data["warmup"]:
        engine.answer(q["q"])
    qs = [q["q"] for q in data["questions"][:PROFILE_QUESTIONS]]
    prof = cProfile.Profile()
    prof.enable()
    for q in qs:
        timed_answer(engine, q)
    prof.disable()
    report(f"{len(qs)} answers (timed_answer)", prof, "answers")
    emit(phase="profile", file=out + ".txt")
    return 0


# --- encoder mode, in process -------------------------------------------------------

XQUAD = ROOT.parent / "shared" / "eval" / "xquad"  # the development half, beside the project's checkout
ARCHIVE_ROWS = 300_000  # sentences of a 100k-paragraph archive (3 a paragraph), for the nearest-sentence search


def xquad_folder(data: Path, folder: Path) -> list[str]:
    """XQuAD's articles in both languages, one file each as xquad_eval.py writes them (kept when there, so that the
    saved index is reused), and its questions in both languages."""
    folder.mkdir(parents=True, exist_ok=True)
    questions = []
    for lang in ("en", "vi"):
        for a, article in enumerate(json.loads((data / f"xquad-dev.{lang}.json").read_text("utf-8"))["data"]):
            title = article["title"].replace("_", " ")
            path = folder / f"{lang}_{a:02d}.txt"
            if not path.exists():
                lines = ["---", f"title: {title}", f"language: {lang}", "publisher: XQuAD", "---", title,
                         *(" ".join(p["context"].split()) for p in article["paragraphs"])]
                path.write_text("\n".join(lines) + "\n", "utf-8")
            questions.extend(q["question"] for p in article["paragraphs"] for q in p["qas"])
    return questions


def encoder_builds(docs: Path, work: Path) -> dict:
    """The bundled articles indexed with vectors from nothing (an empty vector cache), then unchanged (the saved
    index loaded), then rebuilt (every sentence from the cache); and the encoder's own load."""
    from index.encoder import E5Encoder
    from index.store import build, load, save
    from index.vectors import VectorCache

    started = time.perf_counter()
    e5 = E5Encoder()
    out = {"encoder_load_s": time.perf_counter() - started}
    cache, index_dir = VectorCache(e5, work / "empty-cache"), work / "bundled-index"
    started = time.perf_counter()
    save(build(docs, index_dir, "memory", encoder=cache), index_dir)
    out.update(from_nothing_s=time.perf_counter() - started, encoded=cache.encoded,
               encoding_s=cache.encoding_seconds)
    started = time.perf_counter()
    load(docs, index_dir, backend="memory", encoder=cache)
    out["unchanged_s"] = time.perf_counter() - started
    started = time.perf_counter()
    save(build(docs, index_dir, "memory", encoder=cache), index_dir)
    out["rebuilt_s"] = time.perf_counter() - started
    out["sentences_per_s"] = out["encoded"] / out["encoding_s"]
    return out


def encoder_latency(docs: Path, index_dir: Path, questions: list[str], work: Path, backend: str = "memory") -> dict:
    """Per-answer time with the encoder, each question asked once and encoded then: the question's vector is in
    no cache (the passages' are, from the default cache). A disk index is given its vectors first."""
    from bot.engine import Engine
    from index.encoder import E5Encoder
    from index.store import load
    from index.archive_vectors import archive_vectors
    from index.vectors import VectorCache

    e5 = E5Encoder()
    if backend != "memory":
        archive_vectors(load(docs, index_dir, backend=backend), index_dir, VectorCache(e5), build=True)
    started = time.perf_counter()
    index = load(docs, index_dir, backend=backend, encoder=VectorCache(e5))
    load_s = time.perf_counter() - started
    encoder = _TimedEncoder(VectorCache(e5, Path(tempfile.mkdtemp(prefix="queries-", dir=work))))
    engine = Engine(index, encoder=encoder)
    for q in questions[-WARMUP_QUESTIONS:]:
        engine.answer(q)
    gc.freeze()
    totals, retrievals, extractions, encodes, cpu = [], [], [], [], []
    for q in questions[:-WARMUP_QUESTIONS]:
        encoder.seconds = 0.0
        started = time.process_time()
        _, _, _, r, e, x = timed_answer(engine, q)
        cpu.append(time.process_time() - started)
        totals.append(r + e + x)
        retrievals.append(r)
        extractions.append(e)
        encodes.append(encoder.seconds)
    return {"load_s": load_s, "paragraphs": index.paragraph_count, "sentences": len(index.vectors.rows),
            "answer": dist(totals), "retrieval": dist(retrievals), "extraction": dist(extractions),
            "encode_question": dist(encodes), "without_encoding": dist([t - c for t, c in zip(totals, encodes)]),
            "cpu": dist(cpu)}


class _TimedEncoder:
    """The engine's encoder, with the seconds it spends encoding questions added up."""

    def __init__(self, encoder):
        self.encoder, self.seconds = encoder, 0.0
        self.name, self.revision, self.dim = encoder.name, encoder.revision, encoder.dim

    def encode_queries(self, texts):
        started = time.perf_counter()
        try:
            return self.encoder.encode_queries(texts)
        finally:
            self.seconds += time.perf_counter() - started


def archive_search(rows: int, dim: int = 384) -> dict:
    """The exact nearest-sentence search over an archive's float32 rows (random unit vectors of e5's size):
    one product per question, then the best of each language."""
    import numpy as np

    from index.vectors import SentenceVectors

    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((rows, dim), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    paragraphs = rows // 3
    search = SentenceVectors.laid_out("random", "1", dim, vectors, [(f"d{i // 10}", i % 10) for i in range(paragraphs)],
                                      [3] * paragraphs, ["en", "vi"] * (paragraphs // 2))
    queries = rng.standard_normal((60, dim), dtype=np.float32)
    times, cpu = [], []
    for query in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        search.nearest(query, 4, "en")
        search.nearest(query, 4, "vi")
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return {"rows": rows, "search": dist(times[10:]), "cpu": dist(cpu[10:]), "rows_mib": vectors.nbytes / 2**20}


def encoder_main(args) -> int:
    """`--encoder`: the encoder's costs in process (README "Encoder" section)."""
    env = environment()
    work = Path(tempfile.mkdtemp(prefix="citebot-bench-encoder-"))
    docs = ROOT / "docs_src"
    log("encoder: bundled articles indexed from nothing, unchanged, rebuilt")
    builds = encoder_builds(docs, work)
    sample = _bundled_questions(docs, args)
    log(f"encoder: {len(sample)} questions on the bundled articles")
    bundled = encoder_latency(docs, work / "bundled-index", sample, work)
    questions = xquad_folder(args.xquad, work / "xquad")
    picked = questions[::max(1, len(questions) // (args.queries + WARMUP_QUESTIONS))][:args.queries + WARMUP_QUESTIONS]
    log(f"encoder: XQuAD folder indexed with vectors (the default cache), {len(picked)} of its questions")
    xquad = encoder_latency(work / "xquad", work / "xquad-index", picked, work)
    log("encoder: the same XQuAD folder as a tantivy archive with its vectors")
    archived = encoder_latency(work / "xquad", work / "xquad-tantivy", picked, work, "tantivy")
    log(f"encoder: nearest sentences over {ARCHIVE_ROWS:,} rows")
    archive = archive_search(ARCHIVE_ROWS)
    env["loadavg_at_end"] = os.getloadavg()
    lines = [f"citebot encoder benchmark — {env['date']}, commit {env['commit']}, {env['cpus']} CPUs, load average "
             f"{env['loadavg_at_start'][0]:.1f} at start, {env['loadavg_at_end'][0]:.1f} at end", "",
             "| | value |", "| --- | --- |",
             f"| encoder load | {builds['encoder_load_s']:.2f} s |",
             f"| bundled, indexed with vectors from nothing | {builds['from_nothing_s']:.2f} s ({builds['encoded']} "
             f"sentences, {builds['sentences_per_s']:.1f} a second) |",
             f"| bundled, unchanged (saved index loaded) | {builds['unchanged_s']:.3f} s |",
             f"| bundled, rebuilt (every vector from the cache) | {builds['rebuilt_s']:.3f} s |"]
    for name, run in (("bundled", bundled), ("XQuAD dev, en + vi", xquad), ("the same, tantivy + vectors", archived)):
        lines.append(f"| {name} ({run['paragraphs']} paragraphs, {run['sentences']} sentences): answer p50 / p99 "
                     f"| {_pair(run['answer'])} ms (retrieval {_pair(run['retrieval'])}, extraction "
                     f"{_pair(run['extraction'])}; encoding the question {_pair(run['encode_question'])}, the rest "
                     f"{_pair(run['without_encoding'])}; CPU time {_pair(run['cpu'])}) |")
    lines.append(f"| nearest sentences over {archive['rows']:,} float32 rows, both languages, p50 / p99 "
                 f"| {_pair(archive['search'])} ms (CPU time {_pair(archive['cpu'])}; {archive['rows_mib']:.0f} MiB of "
                 "rows) |")
    table = "\n".join(lines) + "\n"
    print(table)
    if args.out:
        (args.out / "encoder.md").write_text(table, "utf-8")
        (args.out / "encoder.json").write_text(json.dumps({"environment": env, "builds": builds, "bundled": bundled,
                                                           "xquad": xquad, "xquad_tantivy": archived, "archive": archive},
                                                          indent=1), "utf-8")
    return 0


def _bundled_questions(docs: Path, args) -> list[str]:
    """The benchmark's generated questions on the bundled articles (as the lexical latency columns ask them)."""
    from index.store import build_memory

    index = build_memory(docs)
    sample = _sample_paragraphs(index, args.seed)
    return [q["q"] for q in make_questions(sample, args.queries + WARMUP_QUESTIONS, args.seed, proper=index.proper,
                                           function=_function_words())]


# --- parent: running children ------------------------------------------------------

def run_child(cmd: list[str], timeout: float, *, cwd: Path | None = None, capture_stderr: bool = False,
              memory_gb: float = 0.0) -> dict:
    """Run cmd in its own process group; kill it at the timeout. Returns status, wall time,
    the child's own peak RSS (from wait4) and its stdout lines."""
    if timeout <= 0:
        return {"status": "timeout", "seconds": 0.0, "maxrss_mib": None, "stdout": [], "stderr": ""}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err if capture_stderr else None, cwd=cwd,
                                start_new_session=True)
        if memory_gb > 0:  # set from here: a preexec_fn is unsafe with the timer threads
            limit = int(memory_gb * 2**30)
            try:
                resource.prlimit(proc.pid, resource.RLIMIT_AS, (limit, limit))
            except (OSError, ValueError):
                pass
        killed = threading.Event()

        def kill():
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the child's own group only
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = []
        for line in out.read().decode("utf-8", "replace").splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                lines.append({"raw": line})
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if killed.is_set():
        state = "timeout"
    elif proc.returncode == 0:
        state = "ok"
    elif proc.returncode == OUT_OF_MEMORY:
        state = "out of memory"
    elif proc.returncode == -signal.SIGKILL:
        state = "killed (out of memory?)"
    else:
        state = f"error (exit {proc.returncode})"
    return {"status": state, "seconds": seconds, "maxrss_mib": usage.ru_maxrss / 1024,
            "stdout": lines, "stderr": stderr}


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def dist(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99),
            "mean_ms": statistics.fmean(ms) if ms else None, "max_ms": max(ms) if ms else None}


# --- parent: one size ----------------------------------------------------------------

def corpus_folder(size: str, cache: Path) -> Path:
    if size == "bundled":
        return ROOT / "docs_src"
    started = time.perf_counter()
    folder = cache / size
    n = corpus.parse_size(size)
    log(f"{size}: corpus in {folder} ({n} paragraphs; generated once, then reused)")
    corpus.ensure_corpus(n, folder, progress=log)
    log(f"{size}: corpus ready ({time.perf_counter() - started:.1f} s)")
    return folder


def run_size(size: str, args) -> dict:
    cache = args.cache
    docs = corpus_folder(size, cache)
    index_dir = cache / "index" / size
    qfile = cache / "index" / f"{size}.questions.json"
    index_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + args.budget_seconds

    def left() -> float:
        return deadline - time.monotonic()

    me = [sys.executable, str(Path(__file__).resolve())]
    res: dict = {"size": size, "docs": str(docs), "index_dir": str(index_dir), "budget_s": args.budget_seconds}

    # 1. build (+ save + questions)
    log(f"{size}: building the index (budget {args.budget_seconds:.0f} s)")
    child = run_child(me + ["_build", str(docs), str(index_dir), str(qfile), str(args.queries), str(args.seed)],
                      left(), memory_gb=args.memory_limit_gb)
    build = next((row for row in child["stdout"] if row.get("phase") == "build"), None)
    res["build"] = dict(build or {}, status=child["status"] if not build else "ok",
                        child_maxrss_mib=child["maxrss_mib"], child_seconds=child["seconds"])
    if build:
        log(f"{size}: built {build['paragraphs']} paragraphs in {build['build_s']:.2f} s, "
            f"peak RSS {build['rss_build_mib']:.0f} MiB, index {build['index_bytes'] / 2**20:.1f} MiB")
    if child["status"] != "ok":  # nothing to answer from: the later cells share the build's fate
        log(f"{size}: build child: {child['status']}")
        res["cold"] = {"status": child["status"]}
        res["latency"] = {"status": child["status"]}
        return res
    questions = json.loads(qfile.read_text("utf-8"))["questions"]
    res["questions"] = {"n": len(questions), "en": sum(q["lang"] == "en" for q in questions),
                        "vi": sum(q["lang"] == "vi" for q in questions),
                        "vi_without_diacritics": sum(q["folded"] for q in questions),
                        "examples": [q["q"] for q in questions[:8]]}

    # 2. cold start: python -m bot ask --json
    question = questions[0]["q"] if questions else "When did Khuong Sreng visit Hanoi?"
    cmd = [sys.executable, "-m", "bot", "ask", "--json", "--docs", str(docs), "--index-dir", str(index_dir), question]
    runs, rss, cold = [], [], {"question": question}
    log(f"{size}: cold start x{args.cold_runs} (+1 warm-up): python -m bot ask --json {question!r}")
    for i in range(args.cold_runs + 1):
        c = run_child(cmd, left(), cwd=ROOT, capture_stderr=True, memory_gb=args.memory_limit_gb)
        if c["status"] != "ok":
            cold["status"] = c["status"]
            cold["stderr"] = c["stderr"][-2000:]
            break
        if "rebuilding" in c["stderr"]:
            cold["warning"] = "the saved index was rebuilt: " + c["stderr"].strip()[-300:]
        try:
            reply = json.loads(c["stdout"][-1]["raw"]) if "raw" in c["stdout"][-1] else c["stdout"][-1]
            cold["answered"] = reply.get("answered")
        except (IndexError, ValueError, AttributeError):
            cold["warning"] = "unexpected output"
        if i:  # the first run only warms the page cache and checks the saved index
            runs.append(c["seconds"])
            rss.append(c["maxrss_mib"])
    cold.setdefault("status", "ok")
    cold["runs_s"] = runs
    cold["median_s"] = statistics.median(runs) if runs else None
    cold["peak_rss_mib"] = max(rss) if rss else None
    res["cold"] = cold
    if runs:
        log(f"{size}: cold start median {cold['median_s']:.2f} s over {len(runs)} runs")

    # 3. latency, ours then naive
    log(f"{size}: answering {len(questions)} questions in process, then the naive baseline")
    child = run_child(me + ["_latency", str(docs), str(index_dir), str(qfile)], left(), memory_gb=args.memory_limit_gb)
    lines = child["stdout"]
    ours = [row for row in lines if row.get("phase") == "ours"]
    naive = [row for row in lines if row.get("phase") == "naive"]
    load = next((row for row in lines if row.get("phase") == "load"), {})
    lat = {
        "status": child["status"],
        "load_s": load.get("load_s"),
        "rebuilt_on_load": load.get("rebuilt"),
        "rss_loaded_mib": load.get("rss_loaded_mib"),
        "child_maxrss_mib": child["maxrss_mib"],
        "retrieval": dist([row["retrieval"] for row in ours]),
        "extraction": dist([row["extraction"] for row in ours]),
        "render": dist([row["render"] for row in ours]),
        "total": dist([row["retrieval"] + row["extraction"] + row["render"] for row in ours]),
        "answered": sum(bool(row["answered"]) for row in ours),
        "kinds": {k: sum(row["kind"] == k for row in ours) for k in sorted({row["kind"] for row in ours})},
        "naive_build_s": next((row["seconds"] for row in lines if row.get("phase") == "naive_build"), None),
        "naive": dist([row["seconds"] for row in naive]),
        "update": next((row for row in lines if row.get("phase") == "update"), None),
    }
    n = len(questions)
    naive_by_i = {row["i"]: row["seconds"] for row in naive}
    lat["per_question"] = [{"q": row["q"], "kind": row["kind"], "answered": row["answered"],
                            "retrieval_ms": row["retrieval"] * 1000, "extraction_ms": row["extraction"] * 1000,
                            "render_ms": row["render"] * 1000,
                            "naive_ms": naive_by_i[row["i"]] * 1000 if row["i"] in naive_by_i else None}
                           for row in ours]
    lat["ours_complete"] = len(ours) == n
    lat["naive_complete"] = len(naive) == n
    r, nv = lat["retrieval"], lat["naive"]
    if lat["ours_complete"] and lat["naive_complete"] and r["p50_ms"]:
        lat["ratio_naive_over_ours_retrieval_p50"] = nv["p50_ms"] / r["p50_ms"]
        lat["ratio_naive_over_ours_retrieval_p99"] = nv["p99_ms"] / r["p99_ms"]
        lat["ratio_naive_over_ours_total_p50"] = nv["p50_ms"] / lat["total"]["p50_ms"]
    res["latency"] = lat
    if args.profile:  # diagnostics, outside the size's budget
        log(f"{size}: profiling build and {PROFILE_QUESTIONS} answers (own budget {args.budget_seconds:.0f} s)")
        child = run_child(me + ["_profile", str(docs), str(index_dir), str(qfile), str(args.out / f"profile-{size}")],
                          args.budget_seconds, memory_gb=args.memory_limit_gb)
        res["profile"] = next((row["file"] for row in child["stdout"] if row.get("phase") == "profile"), child["status"])
    if child["status"] != "ok":
        log(f"{size}: latency child: {child['status']} after {len(ours)}/{n} questions (ours), "
            f"{len(naive)}/{n} (naive)")
    else:
        log(f"{size}: total p50 {lat['total']['p50_ms']:.1f} ms, p99 {lat['total']['p99_ms']:.1f} ms; "
            f"naive p50 {nv['p50_ms']:.1f} ms")
    return res


# --- report ---------------------------------------------------------------------------

def _num(x, digits=3) -> str:
    if x is None:
        return "—"
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:.0f}"
    return f"{x:.{digits}g}"


def _pair(d: dict) -> str:
    return f"{_num(d['p50_ms'])} / {_num(d['p99_ms'])}"


def tables(results: list[dict]) -> str:
    head1 = ("| size | backend | articles | paragraphs | build s | build peak RSS MiB (main / worker) | save s "
             "| index MiB | load s | cold start s (median of 5) | ask peak RSS MiB | add / remove 1 article s |")
    rows1 = [head1, "|" + " --- |" * 12]
    head2 = ("| size | questions | answered | retrieval ms p50 / p99 | extraction ms p50 / p99 "
             "| rendering ms p50 / p99 | total ms p50 / p99 | naive BM25 ms p50 / p99 | naive/ours retrieval p50 (p99) |")
    rows2 = [head2, "|" + " --- |" * 9]
    notes = []
    for res in results:
        b, c, lat = res.get("build", {}), res.get("cold", {}), res.get("latency", {})
        size = res["size"]
        if b.get("status") == "ok":
            rss = _num(b["rss_build_mib"]) + (f" / {_num(b['rss_worker_mib'])}" if b.get("rss_worker_mib") else "")
            bcells = [b.get("backend", "memory"), str(b["articles"]), str(b["paragraphs"]), _num(b["build_s"]), rss,
                      _num(b["save_s"]), _num(b["index_bytes"] / 2**20)]
        else:
            bcells = ["—", "—", "—", b.get("status", "—"), b.get("status", "—"), "—", "—"]
        load = _num(lat.get("load_s")) if lat.get("load_s") is not None else lat.get("status", "—")
        if c.get("status") == "ok":
            ccells = [_num(c["median_s"]), _num(c["peak_rss_mib"])]
        else:
            ccells = [c.get("status", "—"), "—"]
        update = lat.get("update")
        ucell = f"{_num(update['add_s'])} / {_num(update['remove_s'])}" if update else "—"
        rows1.append(f"| {size} | " + " | ".join(bcells + [load] + ccells + [ucell]) + " |")
        ours_ok, naive_ok = lat.get("ours_complete"), lat.get("naive_complete")
        state = lat.get("status", "—")
        if ours_ok:
            ocells = [str(lat["total"]["n"]), f"{lat['answered']}", _pair(lat["retrieval"]),
                      _pair(lat["extraction"]), _pair(lat["render"]), _pair(lat["total"])]
        else:
            ocells = [str(res.get("questions", {}).get("n", "—")), "—"] + [state] * 4
            if lat.get("total", {}).get("n"):
                notes.append(f"{size}: {state} after {lat['total']['n']} questions; over those, total p50 "
                             f"{_num(lat['total']['p50_ms'])} ms, retrieval p50 {_num(lat['retrieval']['p50_ms'])} ms")
        ncell = _pair(lat["naive"]) if naive_ok else state
        ratio = lat.get("ratio_naive_over_ours_retrieval_p50")
        rcell = (f"{ratio:.2f} ({lat['ratio_naive_over_ours_retrieval_p99']:.2f})" if ratio is not None
                 else "—" if state == "ok" else state)
        rows2.append(f"| {size} | " + " | ".join(ocells + [ncell, rcell]) + " |")
        if res.get("profile"):
            notes.append(f"{size}: profile: {res['profile']}")
        if c.get("warning"):
            notes.append(f"{size}: cold start: {c['warning']}")
        if lat.get("rebuilt_on_load"):
            notes.append(f"{size}: the saved index was rebuilt when loading (indexing code changed mid-run?)")
    text = "\n".join(rows1) + "\n\n" + "\n".join(rows2) + "\n"
    if notes:
        text += "\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    return text


def environment() -> dict:
    try:
        import importlib.metadata as md
        bm25 = md.version("rank-bm25")
    except Exception:  # noqa: BLE001
        bm25 = "?"
    commit = "?"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10, check=False).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        pass
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "rank_bm25": bm25, "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M"),
            "loadavg_at_start": os.getloadavg()}


OUT_OF_MEMORY = 3  # a child's exit status after a MemoryError (the --memory-limit-gb limit)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("_"):
        try:
            return child_main(argv)
        except MemoryError:
            print("bench: out of memory (see --memory-limit-gb)", file=sys.stderr)
            return OUT_OF_MEMORY
    return parent_main(argv)


def child_main(argv: list[str]) -> int:
    if argv[0] == "_build":
        return child_build(argv[1], argv[2], argv[3], int(argv[4]), int(argv[5]))
    if argv[0] == "_latency":
        return child_latency(argv[1], argv[2], argv[3])
    if argv[0] == "_profile":
        return child_profile(argv[1], argv[2], argv[3], argv[4])
    raise SystemExit(f"unknown child mode {argv[0]}")


def parent_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Benchmark citebot: cold start, index build, answer latency.")
    ap.add_argument("--sizes", default=DEFAULT_SIZES,
                    help=f"comma-separated: bundled, 10k, 100k, 1m or a paragraph count (default {DEFAULT_SIZES})")
    ap.add_argument("--queries", type=int, default=200, help="questions per size for the latency columns (default 200)")
    ap.add_argument("--out", type=Path, help="write results.md and results.json here")
    ap.add_argument("--budget-seconds", type=float, default=600.0,
                    help="time budget per size (build + cold start + latency); cells past it read 'timeout' (default 600)")
    ap.add_argument("--cache", type=Path, default=corpus.DEFAULT_ROOT,
                    help=f"generated corpora and saved indexes (default {corpus.DEFAULT_ROOT})")
    ap.add_argument("--cold-runs", type=int, default=5, help="timed cold-start runs per size (default 5)")
    ap.add_argument("--seed", type=int, default=42, help="seed of the question mix (default 42)")
    ap.add_argument("--memory-limit-gb", type=float, default=16.0,
                    help="address-space limit of each child process, 0 for none (default 16)")
    ap.add_argument("--backend", default="auto", choices=("auto", "memory", "tantivy"),
                    help="index backend for every size (default auto: memory for small folders, tantivy for large)")
    ap.add_argument("--profile", action="store_true",
                    help="after each size's measurements, cProfile index.store.build and 30 answers into "
                         "--out/profile-<size>.txt (+ .pstats); not counted in the budget, slow at 100k")
    ap.add_argument("--encoder", action="store_true",
                    help="instead: the sentence encoder's costs, in process (bundled index built with vectors from "
                         "nothing and unchanged; answer p50/p99 on the bundled articles and an XQuAD folder)")
    ap.add_argument("--xquad", type=Path, default=XQUAD, help=f"XQuAD's development half (default {XQUAD})")
    args = ap.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    if args.encoder:
        return encoder_main(args)
    os.environ["BOT_INDEX_BACKEND"] = args.backend  # read by every child and by `python -m bot ask`
    if args.profile and not args.out:
        ap.error("--profile needs --out")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s != "bundled":
            try:
                corpus.parse_size(s)
            except ValueError:
                ap.error(f"unknown size {s!r}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    env = environment()
    results = []
    for size in sizes:
        results.append(run_size(size, args))
        log(f"{size}: done ({time.perf_counter() - started:.0f} s so far)")
    env["loadavg_at_end"] = os.getloadavg()
    table = tables(results)
    header = (f"citebot benchmark — {env['date']}, commit {env['commit']}, Python {env['python']}, "
              f"{env['cpus']} CPUs, rank-bm25 {env['rank_bm25']}; {args.queries} questions per size, "
              f"budget {args.budget_seconds:.0f} s per size; load average {env['loadavg_at_start'][0]:.1f} "
              f"at start, {env['loadavg_at_end'][0]:.1f} at end")
    print(header + "\n\n" + table)
    if args.out:
        (args.out / "results.md").write_text(header + "\n\n" + table, "utf-8")
        (args.out / "results.json").write_text(json.dumps({"environment": env, "args": {
            k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}, "results": results},
            ensure_ascii=False, indent=1), "utf-8")
        log(f"wrote {args.out / 'results.md'} and {args.out / 'results.json'}")
    log(f"finished in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
