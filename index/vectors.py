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
        self.path = Path(folder or cache_dir() / "vectors") / f"{slug(encoder)}.sqlite"
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


def slug(encoder: Encoder) -> str:
    """A file name for the vectors of this encoder and revision."""
    name = re.sub(r"[^A-Za-z0-9.]+", "-", encoder.name).strip("-")
    digest = hashlib.sha1(f"{encoder.name}\n{encoder.revision}".encode()).hexdigest()[:12]
    return f"{name}-{digest}"


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
