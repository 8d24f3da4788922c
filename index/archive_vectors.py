"""An archive's sentence vectors: a disk index keeps none unless asked (`python -m bot index --vectors`).

Encoding 100k paragraphs takes hours here, so they are made on request, through the vector
cache (`vectors.VectorCache`), and kept beside the index's generations in its folder: the
float32 rows in an .npy file, memory-mapped, and a small layout (the paragraphs' keys,
sentence counts and languages, each article's file stamp) naming it. The layout is written
last, by renaming, so a reader finds old or new files, never half.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path

import numpy as np

from .chunk import parts
from .encoder import Encoder
from .vectors import BATCH, SentenceVectors, VectorCache, slug

# Sentences encoded per second on this 2-core machine while other work ran on it (benchmarks/README.md): what the
# estimate said before anything is encoded assumes; `python -m bot index --vectors` times its own first batch.
ENCODED_PER_SECOND = 10.0
# An archive whose vectors are out of date (articles added or changed since) has them brought up to date when it is
# loaded if the new sentences take no longer than this; else it answers from words until `index --vectors`.
REFRESH_SECONDS = 60.0
FIRST_BATCH = 16  # encoded first and timed, for the estimate said before the rest
ASSEMBLE_TEXTS = 4096  # sentences read back from the cache at a time while the rows are written
ESTIMATE_ARTICLES = 20  # articles whose sentences are counted to estimate an archive's
LAYOUT_FORMAT = 1


class EncodingStopped(KeyboardInterrupt):
    """Ctrl-C while an archive's sentences were encoded: those encoded are kept in the cache."""

    def __init__(self, encoded: int, total: int):
        super().__init__(f"{encoded} of {total} sentences encoded")
        self.encoded, self.total = encoded, total


class _TooLong(Exception):
    def __init__(self, sentences: int):
        super().__init__(sentences)
        self.sentences = sentences


def archive_vectors(index, index_dir: Path, encoder: Encoder, build: bool = False
                    ) -> tuple[SentenceVectors | None, str | None]:
    """A disk index's sentence vectors, or None and why it answers from words alone.

    Saved vectors of the index as it is are opened; out-of-date ones are brought up to date if
    that is quick (REFRESH_SECONDS), or always with `build`, which also makes them where there
    are none: only sentences the cache has never seen are encoded, with a progress bar, each
    batch kept as it is done, so Ctrl-C (EncodingStopped) loses at most one batch.
    """
    index_dir = Path(index_dir)
    cache = encoder if isinstance(encoder, VectorCache) else VectorCache(encoder)
    saved = _open(index_dir, cache)
    layout = saved[0] if saved else None
    if saved and layout["state"] == _state(index):
        return saved[1], None
    if saved is None and not build:
        count = _estimated_sentences(index)
        return None, (f"this archive has no sentence vectors, so it is answered from words alone: "
                      f"`python -m bot index --vectors` encodes its ~{count:,} sentences in about "
                      f"{_duration(count / ENCODED_PER_SECOND)} here")
    try:
        return _write(index, index_dir, cache, saved, None if build else REFRESH_SECONDS), None
    except _TooLong as exc:
        return None, (f"the archive's sentence vectors are out of date, so it is answered from words alone: "
                      f"`python -m bot index --vectors` encodes its {exc.sentences:,} new sentences in about "
                      f"{_duration(exc.sentences / ENCODED_PER_SECOND)} here")
    except OSError as exc:
        if build:
            raise
        return None, f"the archive's sentence vectors are out of date and cannot be written ({exc.strerror or exc})"


def _layout_path(index_dir: Path, encoder: Encoder) -> Path:
    return index_dir / f"vectors-{slug(encoder)}.layout"


def _state(index) -> str:
    """What the vectors were made for: the indexed files as they were, read by this indexing code."""
    digest = hashlib.sha1(index.code_version.encode())
    digest.update(json.dumps(sorted(index.fingerprint.items())).encode())
    return digest.hexdigest()


def _open(index_dir: Path, encoder: Encoder) -> tuple[dict, SentenceVectors] | None:
    """The saved layout and its vectors, or None if there are none (or they cannot be read: made again)."""
    try:
        with _layout_path(index_dir, encoder).open("rb") as saved:
            layout = pickle.load(saved)
        if layout.get("format") != LAYOUT_FORMAT or (layout["name"], layout["revision"]) != (encoder.name,
                                                                                             encoder.revision):
            return None
        rows = np.load(index_dir / layout["rows"], mmap_mode="r")
        if rows.dtype != np.float32 or rows.shape[1:] != (encoder.dim,):
            return None
        return layout, SentenceVectors.laid_out(encoder.name, encoder.revision, encoder.dim, rows, layout["keys"],
                                                layout["counts"], layout["languages"])
    except (OSError, EOFError, ValueError, KeyError, TypeError, pickle.UnpicklingError):
        return None


def _write(index, index_dir: Path, cache: VectorCache, saved: tuple[dict, SentenceVectors] | None,
           limit: float | None) -> SentenceVectors:
    """Encode what is missing, then write the rows and the layout; _TooLong if more than `limit` seconds' worth."""
    old, old_vectors = saved if saved and saved[0]["code_version"] == index.code_version else ({}, None)
    ranges = _doc_ranges(old) if old else {}
    stamps = _stamps(index)
    plan, fresh = [], []  # per article: its range in the old layout, or its paragraphs' sentences
    for article in index.articles:
        doc = article.doc_id
        if doc in ranges and old["stamps"].get(doc) == stamps.get(doc):
            plan.append((doc, ranges[doc], None))
        else:
            paragraphs = index.search.paragraphs_of(doc)
            texts = [[text for text, _, _ in parts(p.text)] for p in paragraphs]
            plan.append((doc, None, (paragraphs, texts)))
            fresh.extend(text for paragraph in texts for text in paragraph)
    unknown = cache.unknown_passages(fresh)
    if limit is not None and len(unknown) > limit * ENCODED_PER_SECOND:
        raise _TooLong(len(unknown))
    _encode(cache, unknown)
    keys, counts, languages = [], [], []
    for doc, old_range, new in plan:
        if old_range is not None:
            first, last = old_range[:2]
            keys.extend(old["keys"][first:last])
            counts.extend(old["counts"][first:last])
            languages.extend(old["languages"][first:last])
        else:
            paragraphs, texts = new
            keys.extend((p.doc_id, p.number) for p in paragraphs)
            counts.extend(len(t) for t in texts)
            languages.extend(p.language for p in paragraphs)
    name = f"vectors-{slug(cache)}-{os.urandom(6).hex()}.npy"
    temporary = index_dir / f".{name}.tmp"
    try:
        rows = np.lib.format.open_memmap(temporary, mode="w+", dtype=np.float32, shape=(sum(counts), cache.dim))
        _fill(rows, plan, old_vectors, cache)
        rows.flush()
        del rows
        os.replace(temporary, index_dir / name)
    finally:
        temporary.unlink(missing_ok=True)
    layout = {"format": LAYOUT_FORMAT, "name": cache.name, "revision": cache.revision, "state": _state(index),
              "code_version": index.code_version, "rows": name, "keys": keys,
              "counts": np.asarray(counts, dtype=np.int32), "languages": languages, "stamps": stamps}
    path = _layout_path(index_dir, cache)
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(pickle.dumps(layout, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    for stale in index_dir.glob(f"vectors-{slug(cache)}-*.npy"):  # a process reading one keeps it open
        if stale.name != name:
            stale.unlink(missing_ok=True)
    return _open(index_dir, cache)[1]


def _fill(rows: np.ndarray, plan: list, old_vectors: SentenceVectors | None, cache: VectorCache) -> None:
    """The rows of each article in order: copied from the old file, or read back from the cache (all encoded
    by now), several articles at a time."""
    at, waiting, texts = 0, 0, []

    def flush() -> None:
        nonlocal waiting, texts
        if texts:
            rows[waiting:waiting + len(texts)] = cache.encode_passages(texts)
        waiting, texts = at, []

    for _, old_range, new in plan:
        if old_range is not None:
            flush()
            start, end = old_range[2:]
            rows[at:at + end - start] = old_vectors.rows[start:end]
            at += end - start
            waiting = at
        else:
            texts.extend(text for paragraph in new[1] for text in paragraph)
            at += sum(len(paragraph) for paragraph in new[1])
            if len(texts) >= ASSEMBLE_TEXTS:
                flush()
    flush()


def _encode(cache: VectorCache, texts: list[str]) -> None:
    """Encode `texts` into the cache on the index's progress bar, saying first how long it should take."""
    if not texts:
        return
    from tqdm import tqdm

    bar = tqdm(total=len(texts), desc="encoding", unit="sentence", disable=None, file=sys.stderr, leave=False)
    done = 0
    try:
        started = time.perf_counter()
        for start, end in zip([0, *range(FIRST_BATCH, len(texts), BATCH)],
                              [*range(FIRST_BATCH, len(texts), BATCH), len(texts)]):
            cache.encode_passages(texts[start:end])
            done = min(end, len(texts))
            bar.update(done - start)
            if start == 0:
                rate = done / max(time.perf_counter() - started, 1e-6)
                bar.write(f"vectors: encoding {len(texts):,} sentence{'s' * (len(texts) != 1)}, about {_duration(len(texts) / rate)} at "
                          f"{rate:.1f} a second; Ctrl-C stops, and the same command goes on from there",
                          file=sys.stderr)
    except KeyboardInterrupt:
        raise EncodingStopped(done, len(texts)) from None
    finally:
        bar.close()


def _doc_ranges(layout: dict) -> dict[str, list[int]]:
    """Each article's paragraphs (first and last key + 1) and rows (first and last row + 1) in a layout."""
    ranges: dict[str, list[int]] = {}
    row = 0
    for i, ((doc, _), count) in enumerate(zip(layout["keys"], layout["counts"])):
        if doc in ranges:
            ranges[doc][1], ranges[doc][3] = i + 1, row + int(count)
        else:
            ranges[doc] = [i, i + 1, row, row + int(count)]
        row += int(count)
    return ranges


def _stamps(index) -> dict[str, tuple[int, int]]:
    """Each article's file stamp (size, change time): an article whose file kept it keeps its rows."""
    return {doc: index.fingerprint[file] for file, doc in index.search.store.doc_ids().items()
            if file in index.fingerprint}


def _estimated_sentences(index) -> int:
    """The archive's sentences, from those of up to ESTIMATE_ARTICLES articles spread over it."""
    articles = index.articles[::max(1, len(index.articles) // ESTIMATE_ARTICLES)][:ESTIMATE_ARTICLES]
    paragraphs = [p for article in articles for p in index.search.paragraphs_of(article.doc_id)]
    if not paragraphs:
        return 0
    return round(sum(len(parts(p.text)) for p in paragraphs) / len(paragraphs) * index.paragraph_count)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
