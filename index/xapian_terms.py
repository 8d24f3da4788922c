"""A term index on Xapian, split into shards that can be served by `xapian-tcpsrv`.

An article's paragraphs all go to shard crc32(doc_id) % n, so replacing an article
touches one shard. A reader combines the shards into one `xapian.Database`, local
folders or remote servers alike; Xapian then gathers document counts, lengths and
term frequencies from every shard before scoring, so n shards give the scores one
database holding everything would (to the last few bits), and ties are put in pid
order so that the ranking is the same too.

Each paragraph is the Xapian document numbered pid + 1 in its shard. A combined
database numbers the documents of its n shards alternately, (local - 1) * n + shard + 1,
so the pid is (docid - 1) // n: a hit needs no document or value read, which on a
remote shard would be a round trip per hit.

Scoring is Xapian's BM25 with k1 1.5, b 0.75 (rank-bm25's), k2 0 and min_normlen 0
(plain BM25 length normalisation). Two differences from rank-bm25 remain: a term in
more than a third of the paragraphs gets a damped but positive idf instead of
rank-bm25's epsilon floor, and a Xapian document has one length, so the length that
is normalised is the folded plus the exact tokens of the paragraph.
"""
from __future__ import annotations

import re
import zlib
from collections import Counter
from hashlib import blake2b
from pathlib import Path

import xapian

from .articles import DocsError
from .search import EXACT_WEIGHT, Query
from .tokenize import Tokens

FOLDED = "XF"
EXACT = "XE"
ARTICLE = "Q"
MAX_TERM_BYTES = 245  # Xapian refuses longer terms; longer tokens are left out when indexing and querying alike
REMOTE_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_MS = 2_000
# Scores equal to this many digits are ties, ordered by pid. Shards sum a paragraph's
# term weights in another order than one database does, so a tie there can be a few
# ulp apart here; rounding keeps the order the same in every layout.
SIGNIFICANT_DIGITS = 9
TIE_MARGIN = 1e-8  # relative: a score this close to the k-th may belong to its tie
BUILD_KEY = "citebot:build"  # shard metadata: which build of the index the shard belongs to


class ShardMismatch(DocsError):
    """A shard server serves another build of the index than the paragraphs here: its ids would cite wrong text."""


class ShardUnreachable(ConnectionError):
    """A remote shard cannot be reached or stopped answering; the message names host:port."""


def _weighting() -> xapian.BM25Weight:
    """k3 0 ignores the within-query frequency: a repeated token is counted by OP_SCALE_WEIGHT instead."""
    return xapian.BM25Weight(1.5, 0.0, 0.0, 0.75, 0.0)


def _rank(hit: tuple[int, float]) -> tuple[float, int]:
    return -float(f"{hit[1]:.{SIGNIFICANT_DIGITS}g}"), hit[0]


def _fits(term: str) -> bool:
    return len(term.encode()) <= MAX_TERM_BYTES


def _article_term(doc_id: str) -> str:
    """The boolean term of an article; a doc_id too long for a term is replaced by its digest."""
    term = ARTICLE + doc_id
    return term if _fits(term) else ARTICLE + blake2b(doc_id.encode(), digest_size=20).hexdigest()


def _shard_folders(folder: Path) -> list[Path]:
    folders = []
    while (folder / f"shard-{len(folders)}").is_dir():
        folders.append(folder / f"shard-{len(folders)}")
    return folders


def _unreachable(error: xapian.NetworkError, candidates: str) -> ShardUnreachable:
    """Name the server in the error's context ("remote:tcp(host:port)"), else every candidate."""
    match = re.fullmatch(r"remote:tcp\((.+)\)", error.get_context())
    return ShardUnreachable(f"xapian shard {match.group(1) if match else candidates} unreachable: {error}")


def _open_remote(address: str) -> xapian.Database:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"a remote shard is host:port, not {address!r}")
    try:
        return xapian.remote_open(host, int(port), REMOTE_TIMEOUT_MS, CONNECT_TIMEOUT_MS)
    except xapian.NetworkError as error:
        raise _unreachable(error, address) from None


class XapianTerms:
    name = "xapian"

    def __init__(self, folder: Path, writable: bool = False, shards: int = 2, remotes: list[str] | None = None,
                 build: str | None = None):
        """`build`, when given, is checked against every shard's stamp (see `stamp`)."""
        folder = Path(folder)
        self._remotes = list(remotes or [])
        self._writers: list[xapian.WritableDatabase] = []
        if writable:
            if self._remotes:
                raise ValueError("remote shards are served read-only")
            folder.mkdir(parents=True, exist_ok=True)
            folders = _shard_folders(folder) or [folder / f"shard-{i}" for i in range(shards)]
            self._writers = [xapian.WritableDatabase(str(f), xapian.DB_CREATE_OR_OPEN) for f in folders]
        elif not self._remotes:
            folders = _shard_folders(folder)
            if not folders:
                raise FileNotFoundError(folder)
        self._reader = xapian.Database()
        if self._remotes:
            databases = [_open_remote(address) for address in self._remotes]
        else:
            databases = [xapian.Database(str(f)) for f in folders]
        for name, database in zip(self._remotes or folders, databases):
            found = database.get_metadata(BUILD_KEY).decode() if build is not None else build
            if found != build:
                raise ShardMismatch(f"xapian shard {name} serves another build of the index ({found or 'unstamped'}, "
                                    f"the paragraphs here are {build}): restart the shard servers on the current index")
            self._reader.add_database(database)
        self._shards = len(self._remotes) or len(folders)

    def stamp(self, build: str) -> None:
        """Mark every shard as part of this build: paragraph ids mean something only with their own paragraphs."""
        for writer in self._writers:
            writer.set_metadata(BUILD_KEY, build)

    def add(self, pid: int, doc_id: str, tokens: Tokens) -> None:
        if not 0 <= pid < 2**32 // self._shards - 1:
            raise ValueError(f"paragraph id {pid} does not fit a Xapian document id over {self._shards} shards")
        document = xapian.Document()
        document.add_boolean_term(_article_term(doc_id))
        for prefix, stream in ((FOLDED, tokens.folded), (EXACT, tokens.exact)):
            for token, count in Counter(stream).items():
                if _fits(prefix + token):
                    document.add_term(prefix + token, count)
        self._writers[self._shard(doc_id)].replace_document(pid + 1, document)

    def remove(self, doc_id: str) -> None:
        self._writers[self._shard(doc_id)].delete_document(_article_term(doc_id))

    def commit(self) -> None:
        """Make what was added and removed visible; each shard commits atomically on its own."""
        for writer in self._writers:
            writer.commit()
        self._reader.reopen()

    def close(self) -> None:
        """Release the write locks and the remote connections (a remote server keeps a process per connection)."""
        for writer in self._writers:
            writer.close()
        self._writers = []
        self._reader.close()

    @property
    def size(self) -> int:
        return self._read(self._reader.get_doccount)

    def doc_freq(self, token: str) -> int:
        term = FOLDED + token
        return self._read(self._reader.get_termfreq, term) if _fits(term) else 0

    def search_many(self, queries: list[Query], k: int) -> list[list[tuple[int, float]]]:
        """One after the other: a Xapian database is not to be searched from two threads at once."""
        return [self.search(query, k) for query in queries]

    def search(self, query: Query, k: int) -> list[tuple[int, float]]:
        """(paragraph id, score) of the k best matching paragraphs, a repeated query token counting again."""
        clauses = []
        for prefix, tokens, weight in ((FOLDED, query.folded, 1.0), (EXACT, query.exact, EXACT_WEIGHT)):
            for token, count in sorted(Counter(tokens).items()):
                if _fits(prefix + token):
                    clauses.append(xapian.Query(xapian.Query.OP_SCALE_WEIGHT, xapian.Query(prefix + token), weight * count))
        if not clauses or k <= 0:
            return []
        enquire = xapian.Enquire(self._reader)
        enquire.set_weighting_scheme(_weighting())
        enquire.set_query(xapian.Query(xapian.Query.OP_OR, clauses))
        wanted = 2 * k
        hits = self._hits(enquire, wanted)
        while len(hits) == wanted and hits[-1][1] >= hits[k - 1][1] * (1 - TIE_MARGIN):
            # a tie across the cut: fetch all of it so that pids decide, as they do in every layout
            # (not with Enquire.set_cutoff, which drops some better documents over several databases)
            wanted *= 2
            hits = self._hits(enquire, wanted)
        return sorted(hits, key=_rank)[:k]

    def _hits(self, enquire: xapian.Enquire, k: int) -> list[tuple[int, float]]:
        return [((item.docid - 1) // self._shards, item.weight) for item in self._read(enquire.get_mset, 0, k)]

    def _shard(self, doc_id: str) -> int:
        return zlib.crc32(doc_id.encode()) % len(self._writers)

    def _read(self, call, *args):
        """Run a read, once more on a fresh revision if a writer committed twice meanwhile."""
        try:
            try:
                return call(*args)
            except xapian.DatabaseModifiedError:
                self._reader.reopen()
                return call(*args)
        except xapian.NetworkError as error:
            raise _unreachable(error, ", ".join(self._remotes)) from None
