"""Sentence vectors kept on disk by content, so that no text is ever encoded twice.

Encoding a sentence costs about 30 ms; reading it back costs microseconds. Indexing a
changed folder, the picker's refit and the XQuAD scorer meet the same sentences again
and again, in other processes and on other days, so the vectors live in one SQLite file
per encoder revision under the bot's cache folder, keyed by a hash of the text (and of
whether it is a question or a passage). SQLite gives what a cache shared by processes
needs: atomic commits, concurrent readers beside one writer (WAL), and a damaged file
that says so; such a file is deleted and filled again, never fatal.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sqlite3
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .chunk import Paragraph, parts
from .encoder import Encoder, load_encoder
from .ranked import top_k
from .store import cache_dir

BATCH = 128  # texts encoded and committed together: an interrupted run keeps what it encoded
_SELECT_MAX = 500  # keys per SELECT, well under SQLite's limit on bound parameters
# Half of float32's size and lossless for ranking: on XQuAD's sentences and questions float16
# moves a cosine by at most 6e-5 and changes 1 of 2,442 nearest sentences (a tie closer than
# that); int8 (scaled per vector) moves it by up to 2e-3 and changes 23 (benchmarks/encoder_probe.py).
STORED = np.float16


class VectorCache:
    """An `Encoder` that asks the wrapped one only for texts it has never seen.

    Every vector it returns, fresh or remembered, is the stored (float16) one made float32,
    so an answer never depends on whether the cache was warm. Safe to share between threads.
    """

    def __init__(self, encoder: Encoder, folder: Path | None = None):
        self.encoder = encoder
        self.name, self.revision, self.dim = encoder.name, encoder.revision, encoder.dim
        self.path = Path(folder or cache_dir() / "vectors") / f"{_slug(encoder)}.sqlite"
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._usable = True  # False once the cache can be neither opened nor made again: encode only
        self.encoded, self.encoding_seconds = 0, 0.0  # what it had to encode, for `python -m bot index`

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts, b"q", self.encoder.encode_queries)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts, b"p", self.encoder.encode_passages)

    def unknown_passages(self, texts: Sequence[str]) -> list[str]:
        """The distinct texts of `texts` never encoded as passages: what encoding them all would cost."""
        keys = {_key(b"p", text): text for text in texts}
        found = self._read(set(keys))
        return [text for key, text in keys.items() if key not in found]

    def close(self) -> None:
        with self._lock:
            self._close()

    def _vectors(self, texts: Sequence[str], kind: bytes, encode) -> np.ndarray:
        keys = [_key(kind, text) for text in texts]
        found = self._read(set(keys))
        missing = {key: text for key, text in zip(keys, texts) if key not in found}
        todo = list(missing.items())
        for start in range(0, len(todo), BATCH):
            batch = todo[start:start + BATCH]
            started = time.perf_counter()
            fresh = np.asarray(encode([text for _, text in batch]), dtype=STORED)
            self.encoded += len(batch)
            self.encoding_seconds += time.perf_counter() - started
            rows = {key: vector for (key, _), vector in zip(batch, fresh)}
            found.update(rows)
            self._write(rows)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out

    def _read(self, keys: set[bytes]) -> dict[bytes, np.ndarray]:
        wanted, found = list(keys), {}
        size = self.dim * np.dtype(STORED).itemsize
        for start in range(0, len(wanted), _SELECT_MAX):
            chunk = wanted[start:start + _SELECT_MAX]
            rows = self._query(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            # A row of another length is a damaged one: encoded again and overwritten.
            found.update((key, np.frombuffer(blob, dtype=STORED)) for key, blob in rows if len(blob) == size)
        return found

    def _write(self, rows: dict[bytes, np.ndarray]) -> None:
        self._query("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(key, vector.tobytes()) for key, vector in rows.items()], many=True)

    def _query(self, sql: str, params: list, many: bool = False) -> list:
        """Run one statement in its own transaction; a damaged file is started afresh once."""
        with self._lock:
            for attempt in (1, 2):
                if not self._usable:
                    return []
                try:
                    db = self._connect()
                    with db:  # one transaction: committed whole or not at all
                        return db.executemany(sql, params).fetchall() if many else db.execute(sql, params).fetchall()
                except sqlite3.OperationalError as exc:
                    if "locked" in str(exc):
                        return []  # another process kept it past the timeout: encode, do not wait forever
                    self._give_up(exc)  # cannot open or write (permissions, a full disk): deleting would not help
                except sqlite3.DatabaseError as exc:  # not a database, or a malformed one
                    if attempt == 2:
                        self._give_up(exc)
                    else:
                        self._start_again(exc)
                except OSError as exc:
                    self._give_up(exc)
            return []

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _start_again(self, exc: Exception) -> None:
        self._close()
        print(f"vectors: cache {self.path} is damaged ({exc}); starting it again", file=sys.stderr)
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass  # the next attempt fails too and says so

    def _give_up(self, exc: Exception) -> None:
        self._close()
        self._usable = False
        print(f"vectors: cache {self.path} unusable ({exc}); encoding without it", file=sys.stderr)


def _slug(encoder: Encoder) -> str:
    """A file name for the vectors of this encoder and revision."""
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", encoder.name).strip("-")
    digest = hashlib.sha1(f"{encoder.name}\n{encoder.revision}".encode()).hexdigest()[:12]
    return f"{slug}-{digest}"


def _key(kind: bytes, text: str) -> bytes:
    return hashlib.blake2b(kind + text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def cached_encoder() -> VectorCache | None:
    """The default encoder behind the cache, or None (said on stderr) when it cannot load here."""
    encoder = load_encoder()
    return None if encoder is None else VectorCache(encoder)


class SentenceVectors:
    """The vector of every quotable part (`chunk.parts`) of an index's paragraphs, kept with the index.

    Rows are in the order of the paragraphs, each paragraph's parts in reading order, so a
    paragraph's rows are one slice. The nearest sentences to a question are found by an exact
    dot product in float32 (numpy has no fast float16 product: 0.94 s against 0.08 s over
    300,000 rows here). A memory index keeps float16 rows (as the cache keeps them) and makes
    the float32 copy on its first search; an archive's rows are the same values saved as
    float32 and memory-mapped (`archive_vectors`), so nothing is copied. A search can
    keep to one language: in a folder of both, e5 puts a question's own language first
    (a Vietnamese question about Hanoi's population finds four Vietnamese sentences on
    Hanoi before the English one that answers it).
    """

    def __init__(self, encoder: Encoder, paragraphs: list[Paragraph], blocks: list[np.ndarray]):
        """`blocks`: the parts' vectors of the paragraphs, in order, in as many arrays as convenient."""
        rows = np.vstack([np.zeros((0, encoder.dim), dtype=STORED), *blocks]).astype(STORED)
        self._lay_out(encoder.name, encoder.revision, encoder.dim, rows, [(p.doc_id, p.number) for p in paragraphs],
                      [len(parts(p.text)) for p in paragraphs], [p.language for p in paragraphs])

    @classmethod
    def laid_out(cls, name: str, revision: str, dim: int, rows: np.ndarray, keys: list[tuple[str, int]],
                 counts: Sequence[int], languages: Sequence[str]) -> SentenceVectors:
        """Vectors whose paragraphs are known by their keys, sentence counts and languages alone, as an
        archive's are kept (`rows` float32 and memory-mapped there: searched as they are, never copied)."""
        vectors = cls.__new__(cls)
        vectors._lay_out(name, revision, dim, rows, keys, counts, languages)
        return vectors

    def _lay_out(self, name: str, revision: str, dim: int, rows: np.ndarray, keys: list[tuple[str, int]],
                 counts: Sequence[int], languages: Sequence[str]) -> None:
        self.name, self.revision, self.dim, self.rows, self.keys = name, revision, dim, rows, keys
        ends = np.cumsum(counts, dtype=np.int64)
        self._slices = {key: (int(end - count), int(end)) for key, count, end in zip(keys, counts, ends)}
        self._owner = np.repeat(np.arange(len(keys)), counts)  # row -> its paragraph in `keys`
        self._languages = np.repeat(np.array(languages, dtype=str), counts)
        if len(self.rows) != len(self._owner):
            raise ValueError(f"{len(self.rows)} vectors for {len(self._owner)} sentences")
        self._searched: np.ndarray | None = None
        self._kept: dict[str, np.ndarray] = {}  # the rows of each language, found on its first search
        self._last: tuple[bytes, np.ndarray] | None = None  # the last query's scores: one product per question

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_searched": None, "_kept": {}, "_last": None}

    def made_by(self, encoder: Encoder) -> bool:
        return (self.name, self.revision) == (encoder.name, encoder.revision)

    def of(self, doc_id: str, number: int) -> np.ndarray:
        """The paragraph's sentence vectors, float32, one row per part in reading order (none if unknown)."""
        start, end = self._slices.get((doc_id, number), (0, 0))
        return self.rows[start:end].astype(np.float32)

    def nearest(self, query: np.ndarray, k: int, language: str | None = None) -> list[tuple[tuple[str, int], int, float]]:
        """The k sentences nearest to a query vector, best first, of paragraphs in `language` when
        given: (doc id, paragraph number), the part's place in its paragraph, cosine."""
        query = np.asarray(query, dtype=np.float32)
        last = self._last
        if last is not None and last[0] == query.tobytes():  # the same question, searched in its other language
            scores = last[1]
        else:
            if self._searched is None:
                self._searched = self.rows if self.rows.dtype == np.float32 else self.rows.astype(np.float32)
            scores = self._searched @ query
            self._last = (query.tobytes(), scores)
        if language is not None:
            if language not in self._kept:
                self._kept[language] = self._languages == language
            kept = self._kept[language]
            scores = np.where(kept, scores, -np.inf)
            k = min(k, int(kept.sum()))
        k = min(k, len(scores))
        best = top_k(scores, k)
        out = []
        for row in best:
            key = self.keys[self._owner[row]]
            out.append((key, int(row) - self._slices[key][0], float(scores[row])))
        return out


# An archive's vectors: a disk index keeps none unless asked (`python -m bot index --vectors`), since encoding
# 100k paragraphs takes hours here. They live beside its generations in the index folder: the float32 rows in an
# .npy file, memory-mapped, and a small layout (the paragraphs' keys, sentence counts and languages, each article's
# file stamp) naming it. The layout is written last, by renaming, so a reader finds old or new files, never half.

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
    return index_dir / f"vectors-{_slug(encoder)}.layout"


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
    name = f"vectors-{_slug(cache)}-{os.urandom(6).hex()}.npy"
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
    for stale in index_dir.glob(f"vectors-{_slug(cache)}-*.npy"):  # a process reading one keeps it open
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
