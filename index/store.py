"""Build the index of a folder of articles, keep it on disk, and bring it up to date.

Three kinds of index; "auto" picks memory or tantivy by the size of the folder:

* memory  - rank-bm25 over every paragraph, pickled whole into `index.pkl`; rebuilding
            a small folder takes well under a second, so any change rebuilds it;
* tantivy - paragraphs in SQLite and postings in tantivy, under the folder named by
            `CURRENT`; a change is applied article by article, never rebuilding the rest;
* xapian  - the same with the postings in Xapian shards, which `xapian-tcpsrv` servers
            on other machines can serve (`IndexOptions.xapian_shards`, `xapian_remotes`).

Each remembers a hash of the indexing code and what it indexed from which file, so
`ask` reuses a saved index without re-tokenizing, and a corrupt or outdated one is
rebuilt (or, on disk, updated) with a warning.

A disk index is written as a new generation, a folder that `CURRENT` switches to once
it is complete: its files are never written again, so a process reading one is never
pulled from under (a tantivy segment truncated under its reader kills it with SIGBUS),
and a generation is removed only when no process holds its readers lock. Opening one
checks it against its manifest; whatever fails while opening or searching it, a Python
error or a panic in tantivy's Rust code, makes it "damaged": it is rebuilt, or, where
nothing can be written, the articles are answered from an in-memory index.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
import time
import weakref
import zlib
from collections import deque
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import word_keys
from .articles import ArticleError, DocsError, file_kind, folder_names, one_line, unread_warning
from .chunk import Paragraph, parts
from .options import IndexOptions
from .paragraph_store import ParagraphStore, StoredArticles
from .pipeline import ArticleInfo, ProcessedArticle, process
from .proper import ProperCounts
from .search import Bm25Search, DiskSearch, Retriever

if TYPE_CHECKING:  # vectors.py imports this module for cache_dir
    from .encoder import Encoder
    from .vectors import SentenceVectors

FORMAT_VERSION = 11  # 5: articles and paragraphs carry their date and address; 6: and each part's words and facts; 7: "%" is a word;
# 8: a disk index keeps the stamps of the files it read in one piece; 9: and each article's words in one row, and its format;
# 10: each part's place in its paragraph, and its tokens words first; 11: a list's items are one paragraph with its introduction
INDEX_FILE = "index.pkl"
CURRENT_FILE = "CURRENT"
TERMS_DIR = "terms"
BACKENDS = ("auto", "memory", "tantivy", "xapian")
DISK_BACKENDS = ("tantivy", "xapian")
# Above this much article text "auto" picks tantivy: about 5,000 paragraphs, where the
# in-memory index starts a cold `ask` more slowly than tantivy does (benchmarks/README.md).
AUTO_DISK_BYTES = 2 * 2**20
LOCK_FILE = "update.lock"
MANIFEST_FILE = "MANIFEST"  # a generation's files with their sizes, and the checksums of the small ones
READERS_FILE = "readers.lock"  # each process reading a generation holds a shared lock on it
SMALL_FILE_BYTES = 2**20  # checksummed each time a generation is opened; larger files are only sized
# What the libraries create or lock while reading or writing: not part of a generation's content.
NOT_LISTED = frozenset({MANIFEST_FILE, READERS_FILE, ".tantivy-meta.lock", ".tantivy-writer.lock", "flintlock"})
# Deleted paragraphs still count in tantivy's statistics until its segments merge; past
# this share of the index an update rebuilds instead, so that scores stay those of a
# fresh index. A small folder is rebuilt in a second; an archive is rarely changed this much.
REBUILD_SHARE = 0.1
PROCESS_WINDOW = 256  # articles in flight between the tokenizing workers and the writer


@dataclass
class Index:
    docs_dir: str
    fingerprint: dict[str, tuple[int, int]]
    code_version: str
    search: Retriever
    articles: Sequence[ArticleInfo]  # a disk index's are read when first listed (`StoredArticles`)
    proper: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)
    format_version: int = FORMAT_VERSION
    vectors: SentenceVectors | None = None  # of every sentence: a memory index built with an encoder, an archive on request

    @property
    def backend(self) -> str:
        return self.search.name

    @property
    def paragraph_count(self) -> int:
        return self.search.size

    @property
    def languages(self) -> frozenset[str]:
        """The articles' languages; a disk index has SQLite find them rather than read every article."""
        if isinstance(self.articles, StoredArticles):
            return self.articles.languages()
        return frozenset(article.language for article in self.articles)

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph, article by article; read from disk for a disk index."""
        for article in self.articles:
            yield from self.search.paragraphs_of(article.doc_id)


def _code_version() -> str:
    digest = hashlib.sha1()
    here = Path(__file__).parent
    for path in sorted([*here.glob("*.py"), *here.glob("data/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class Folder:
    """The articles folder as one scan found it."""

    articles: dict[str, tuple[int, int]]  # the article files to read: (size, change time in ns) by name
    unread: list[Path]  # files of other kinds, named with what to do
    problems: list[str]  # article files that cannot be read now, each with the reason
    settling: frozenset[str] = frozenset()  # changed too recently to be read whole: left for a later scan


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells one version of a file from the next: its size and the last time it or its permissions
    changed (so a file made readable again is read again), or None if it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, max(info.st_mtime_ns, info.st_ctime_ns)


def scan(docs_dir: Path, settle: float = 0.0) -> Folder:
    """The folder's article files, the files it does not read, and the article files it cannot read now.

    Anything may happen between listing the folder and looking at a file: one that is
    gone by then was deleted and is not named. With `settle`, a file written to less
    than that many seconds ago may still be being written: it is left for a later scan.
    """
    if not docs_dir.exists():
        raise DocsError(f"docs folder not found: {docs_dir}")
    if not docs_dir.is_dir():
        raise DocsError(f"not a folder: {docs_dir}")
    try:
        names, others = folder_names(docs_dir)
    except FileNotFoundError:
        raise DocsError(f"docs folder not found: {docs_dir}") from None
    except OSError as exc:
        raise DocsError(f"cannot read the docs folder {docs_dir} ({exc.strerror or exc})") from None
    articles, problems, settling = {}, [], set()
    now = time.time_ns()
    base = f"{os.fspath(docs_dir)}/"  # a file's path as a string: a Path of each of 50,000 names costs a start 0.3 s
    for name in names:
        try:
            info = os.stat(base + name)
        except FileNotFoundError:
            if os.path.islink(base + name):
                problems.append(f"{docs_dir / name}: a link to a file that does not exist; skipped")
            continue  # else deleted since the folder was listed
        except OSError as exc:
            problems.append(f"{docs_dir / name}: cannot read ({exc.strerror or exc}); skipped")
            continue
        if not stat.S_ISREG(info.st_mode):
            problems.append(f"{docs_dir / name}: {file_kind(info.st_mode)}, not an article file; skipped")
        elif abs(now - info.st_mtime_ns) < settle * 1e9:
            settling.add(name)
        else:
            articles[name] = (info.st_size, max(info.st_mtime_ns, info.st_ctime_ns))
    return Folder(articles, [docs_dir / name for name in others], problems, frozenset(settling))


def choose_backend(requested: str, prints: dict[str, tuple[int, int]]) -> str:
    if requested not in BACKENDS:
        raise DocsError(f"unknown index backend {requested!r}; choose one of {', '.join(BACKENDS)}")
    if requested != "auto":
        return requested
    return "tantivy" if sum(size for size, _ in prints.values()) > AUTO_DISK_BYTES else "memory"


def _process_or_error(args: tuple[Path, tuple[int, int], int, bool]) -> ProcessedArticle | str | None:
    """The article, why it cannot be read, or None if the file changed since it was scanned; `keyed`: with its
    words' keys, which a disk index stores (made here, in the worker, so that the writer only writes them).

    A file that changed meanwhile (deleted, rewritten, still being written) was maybe read
    in part: what was read is dropped, and the next scan, which sees the change, reads it again.
    """
    path, scanned, max_bytes, keyed = args
    try:
        result = process(path, max_bytes)
        if keyed:
            result = replace(result, word_keys=word_keys.pack(result.words()))
    except ArticleError as exc:
        result = str(exc)
    return result if _stamp(path) == scanned else None


def _processed(paths: list[Path], prints: dict[str, tuple[int, int]], workers: int, label: str,
               max_bytes: int, keyed: bool = False) -> Iterator[tuple[Path, ProcessedArticle | str]]:
    """Each file processed (or the reason it was skipped), in order, but those that changed since
    `prints` was scanned."""
    for path, result in _process_all(paths, prints, workers, label, max_bytes, keyed):
        if result is not None:
            yield path, result


def _process_all(paths: list[Path], prints: dict[str, tuple[int, int]], workers: int, label: str,
                 max_bytes: int, keyed: bool) -> Iterator[tuple[Path, ProcessedArticle | str | None]]:
    """Each file processed, in order, on a progress bar on a terminal.

    Articles are independent, so with several workers they are cleaned and tokenized in
    parallel while this process writes them; a bounded window keeps only a few hundred
    in memory, however large the folder.
    """
    import multiprocessing  # here, not at the top: a one-shot `ask` from a built index never forks
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    bar = tqdm(total=len(paths), desc=label, unit="article", disable=None, file=sys.stderr, leave=False)
    try:
        if workers > 1 and len(paths) > 50:
            # forkserver: the writer's threads (tantivy's, a bot's event loop) must not be forked along
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
                window: deque = deque()
                for path in paths:
                    window.append((path, pool.submit(_process_or_error, (path, prints[path.name], max_bytes, keyed))))
                    if len(window) >= PROCESS_WINDOW:
                        done, future = window.popleft()
                        bar.update()
                        yield done, future.result()
                while window:
                    done, future = window.popleft()
                    bar.update()
                    yield done, future.result()
        else:
            for path in paths:
                result = _process_or_error((path, prints[path.name], max_bytes, keyed))
                bar.update()
                yield path, result
    finally:
        bar.close()


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def build_memory(docs_dir: Path, options: IndexOptions = IndexOptions(), scanned: Folder | None = None,
                 encoder: Encoder | None = None) -> Index:
    """`encoder`: also keep every sentence's vector, encoded on the indexing bar as each article
    is read; through the vector cache, only new or changed sentences cost an encoding."""
    docs_dir = Path(docs_dir)
    prints = (scanned or scan(docs_dir)).articles
    paragraphs, tokens, articles, problems = [], [], [], []
    proper = ProperCounts()
    seen: set[str] = set()
    if encoder is not None:
        from .vectors import SentenceVectors, VectorCache

        cache, vectors = encoder if isinstance(encoder, VectorCache) else VectorCache(encoder), []
    for path, result in _processed([docs_dir / name for name in prints], prints, 1, "indexing",
                                   options.max_article_bytes):
        if isinstance(result, str):
            problems.append(result)
            continue
        if result.info.doc_id in seen:  # a.txt and a.md would be one article id: the first one keeps it
            problems.append(f"{path}: another file already has the id {result.info.doc_id!r}; skipped")
            continue
        seen.add(result.info.doc_id)
        paragraphs.extend(result.paragraphs)
        tokens.extend(result.tokens)
        articles.append(result.info)
        proper.merge(result.proper)
        if encoder is not None:
            vectors.append(cache.encode_passages([text for p in result.paragraphs for text, _, _ in parts(p.text)]))
    index = Index(str(docs_dir.resolve()), prints, _code_version(), Bm25Search(paragraphs, tokens), articles,
                  proper.words(), problems)
    if encoder is not None:
        cache.close()
        index.vectors = SentenceVectors(encoder, paragraphs, vectors)
    return index


class _DiskWriter:
    """Applies article changes to a new generation of a disk index, which no process reads before it is complete."""

    def __init__(self, folder: Path, backend: str, options: IndexOptions = IndexOptions()):
        self.options = options
        self.store = ParagraphStore(folder, writable=True)
        self.backend = self.store.get("backend") or backend
        self.terms = _terms(self.backend, folder, options, writable=True)
        self.proper = self.store.get("proper", ProperCounts())

    def apply(self, remove: list[str], add: list[Path], prints: dict[str, tuple[int, int]]) -> None:
        """Forget the files in `remove`, index those in `add`; `prints` is the folder as read before reading them."""
        doc_ids = self.store.doc_ids()
        removed = {doc_ids[name] for name in remove if name in doc_ids}
        kept = set(doc_ids.values()) - removed
        skipped = {name: v for name, v in self.store.get("skipped", {}).items() if name not in remove}
        fresh = []
        for path in add:
            if path.stem in kept:  # a.txt and a.md would be one article id: the first one keeps it
                skipped[path.name] = (*prints[path.name], f"{path}: another file already has the id {path.stem!r}; skipped")
            else:
                kept.add(path.stem)
                fresh.append(path)
        self.store.begin()
        for doc_id in sorted(removed | {p.stem for p in fresh}):
            counts = self.store.remove(doc_id)
            if counts is not None:
                self.proper.subtract(counts)
            self.terms.remove(doc_id)
        for path, result in _processed(fresh, prints, _workers(), "indexing", self.options.max_article_bytes,
                                       keyed=True):
            if isinstance(result, str):
                skipped[path.name] = (*prints[path.name], result)
                continue
            pids = self.store.add(path.name, prints[path.name], result)
            for pid, paragraph, tokens in zip(pids, result.paragraphs, result.tokens):
                self.terms.add(pid, paragraph.doc_id, tokens)
            self.proper.merge(result.proper)
        build = self.store.get("build") or os.urandom(16).hex()  # one per full build; updates keep paragraph ids
        if self.backend == "xapian":
            self.terms.stamp(build)
        self.terms.commit()
        self.store.set("build", build)
        self.store.set("proper", self.proper)
        self.store.set("proper_words", self.proper.words())  # what a reader needs, without the counts
        self.store.set("skipped", skipped)
        self.store.set("indexed", self.store.fingerprint() | {name: (size, mtime) for name, (size, mtime, _) in skipped.items()})
        self.store.set("code_version", _code_version())
        self.store.set("format", FORMAT_VERSION)
        self.store.set("backend", self.backend)
        self.store.commit()

    def close(self) -> None:
        try:
            self.terms.close()
        finally:
            self.store.close()


def _terms(backend: str, folder: Path, options: IndexOptions, writable: bool, build: str | None = None):
    if backend == "tantivy":
        from .tantivy_terms import TantivyTerms

        return TantivyTerms(folder / TERMS_DIR, writable=writable)
    try:
        from .xapian_terms import XapianTerms
    except ImportError:
        raise DocsError("the xapian backend needs the Xapian bindings: pip install -e '.[shards]'") from None
    if writable:
        return XapianTerms(folder / TERMS_DIR, writable=True, shards=options.xapian_shards)
    return XapianTerms(folder / TERMS_DIR, remotes=list(options.xapian_remotes) or None, build=build)


class TooManyChanges(Exception):
    """An update would delete so much of a disk index that rebuilding it is better."""


class IndexBusy(Exception):
    """Another process is updating this disk index (several bot workers noticed the same change)."""


class IndexDamaged(Exception):
    """A disk index that fails to open or to answer: a file missing, cut short or scribbled on, a library's error
    or panic; the message says what was found."""


class IndexUnwritable(Exception):
    """No index can be written in the index folder (read-only, full, not permitted, not a folder); the message says why."""


_FATAL = (KeyboardInterrupt, SystemExit, GeneratorExit)
# Not the files' fault: a shard server down, a bad setting; and AttributeError, so that hasattr() keeps working.
_NOT_DAMAGE = (*_FATAL, DocsError, ConnectionError, AttributeError)


def _reason(exc: BaseException) -> str:
    """What went wrong, in one short line."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


def _guarded(call, *args, **kwargs):
    """`call(...)`, whatever it raises (a Python error, a tantivy panic, which is no Exception) raised as IndexDamaged."""
    try:
        return call(*args, **kwargs)
    except (*_NOT_DAMAGE, IndexDamaged):
        raise
    except BaseException as exc:
        raise IndexDamaged(_reason(exc)) from exc


class _Held:
    """A disk index's retriever that keeps its generation for as long as it is used (the shared lock on its
    readers file), and reports whatever fails in a search as IndexDamaged, so that the bot rebuilds."""

    def __init__(self, search: DiskSearch, folder: Path, readers):
        self._search = search
        self.folder = folder
        self.name = search.name
        self.store = search.store
        # When this retriever is dropped: its files closed, then the lock released for writers to remove the
        # generation. Explicitly: a SQLite connection is freed only by the garbage collector (its statement
        # cache refers back to it), and would hold a removed file open meanwhile.
        weakref.finalize(self, _release, search, readers)

    def __getattr__(self, name: str):
        value = _guarded(getattr, self._search, name)
        return (lambda *args, **kwargs: _guarded(value, *args, **kwargs)) if callable(value) else value


def _release(search: DiskSearch, readers) -> None:
    """Close a generation's files, then let writers remove it."""
    try:
        search.terms.close()
        search.store.close()
    finally:
        readers.close()


def _hold(folder: Path):
    """The generation's readers file, locked shared; None if the generation is gone or being removed."""
    try:
        readers = open(folder / READERS_FILE, "rb")
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(readers, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:  # a writer is removing it
        readers.close()
        return None
    if os.fstat(readers.fileno()).st_nlink == 0:  # removed between opening and locking
        readers.close()
        return None
    return readers


def _checksum(path: Path) -> str:
    return format(zlib.crc32(path.read_bytes()), "08x")


def _write_manifest(folder: Path) -> None:
    """List every file of a finished generation with its size, and the checksum of each small one."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in NOT_LISTED:
            size = path.stat().st_size
            files[path.relative_to(folder).as_posix()] = [size, _checksum(path) if size <= SMALL_FILE_BYTES else None]
    _replace_file(folder / MANIFEST_FILE, lambda out: out.write(json.dumps(files).encode()))


def _verify(folder: Path, terms: bool) -> None:
    """IndexDamaged unless every file the manifest lists is there with its size and, if small, its checksum
    (`terms`: the term index's files too, unless remote servers hold them)."""
    try:
        files = json.loads((folder / MANIFEST_FILE).read_bytes())
    except (OSError, ValueError):
        raise IndexDamaged(f"its {MANIFEST_FILE} is missing or unreadable (damaged, or written by older code)") from None
    for name, (size, checksum) in files.items():
        if not terms and name.startswith(f"{TERMS_DIR}/"):
            continue
        try:
            found = (folder / name).stat().st_size
        except OSError:
            raise IndexDamaged(f"{name} is missing") from None
        if found != size:
            raise IndexDamaged(f"{name} has {found:,} bytes, {size:,} were written")
        if checksum is not None and _checksum(folder / name) != checksum:
            raise IndexDamaged(f"{name} does not match its checksum")


def _open_disk(docs_dir: Path, folder: Path, options: IndexOptions, readers) -> Index:
    """A generation, checked and opened for reading while `readers` (its shared lock) is held."""
    store = None
    try:
        _verify(folder, terms=not options.xapian_remotes)
        store = ParagraphStore(folder)
        search = DiskSearch(_terms(store.get("backend", "tantivy"), folder, options, writable=False,
                                   build=store.get("build")), store)
        skipped = store.get("skipped", {})
        held = _Held(search, folder, readers)
        return Index(str(Path(docs_dir).resolve()), _indexed(store), store.get("code_version", ""),
                     held, StoredArticles(store, held), store.get("proper_words", frozenset()),
                     [reason for _, _, reason in skipped.values()], store.get("format", 0))
    except BaseException as exc:
        if store is not None:
            store.close()
        readers.close()
        if isinstance(exc, (*_NOT_DAMAGE, IndexDamaged)):
            raise
        raise IndexDamaged(_reason(exc)) from exc


def _open_current(docs_dir: Path, index_dir: Path, options: IndexOptions) -> Index | None:
    """The generation CURRENT names, opened; None if there is none."""
    previous = None
    while True:  # CURRENT may move on, and the generation it named be removed, while it is opened
        folder = _current_disk_folder(index_dir)
        if folder is None:
            return None
        readers = _hold(folder)
        if readers is not None:
            return _open_disk(docs_dir, folder, options, readers)
        if folder == previous:
            raise IndexDamaged(f"{CURRENT_FILE} names {folder.name}, which is missing or incomplete")
        previous = folder


def _indexed(store: ParagraphStore) -> dict[str, tuple[int, int]]:
    """The folder as the index last saw it: indexed files and the files it skipped, which are not retried. Each
    generation's writer keeps it in one piece (`_DiskWriter.apply`): every start compares it with the folder, and
    reading it from the articles table took 0.1 s of a cold `ask` at a million paragraphs (50,000 rows)."""
    return store.get("indexed", {})


def _current_disk_folder(index_dir: Path) -> Path | None:
    """The generation `CURRENT` names; None without a CURRENT; IndexDamaged if it holds no generation's name."""
    try:
        raw = (index_dir / CURRENT_FILE).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise IndexDamaged(f"{CURRENT_FILE} cannot be read ({exc.strerror or exc})") from None
    name = raw.strip().decode("ascii", "replace")
    if not re.fullmatch(rf"(?:{'|'.join(DISK_BACKENDS)})-\w+", name, re.ASCII):
        raise IndexDamaged(f"{CURRENT_FILE} holds {raw[:40]!r}, not the name of an index")
    return index_dir / name


def _replace_file(target: Path, write) -> None:
    """Write through a temporary file and rename: a crash mid-write leaves the previous file."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".index-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@contextmanager
def _write_lock(index_dir: Path, wait: bool) -> Iterator[None]:
    """One writer per index folder at a time: another one waits for it (`wait`) or raises IndexBusy."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise IndexBusy(index_dir) from None
        yield


def _copy_generation(base: Path, folder: Path, backend: str) -> None:
    """What `base` holds, in `folder`: tantivy's files linked (tantivy never writes a file twice, so two
    generations can share them), SQLite's and Xapian's copied (they are written in place)."""
    for source in sorted(base.rglob("*")):
        if source.name in NOT_LISTED or not source.is_file():
            continue
        target = folder / source.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        if backend == "tantivy" and source.parent.name == TERMS_DIR:
            try:
                os.link(source, target)
                continue
            except OSError:  # a file system without hard links
                pass
        shutil.copyfile(source, target)


def _write_generation(index_dir: Path, backend: str, options: IndexOptions, change: Callable[[_DiskWriter], None],
                      base: Path | None = None, wait: bool = False) -> None:
    """A new generation of the index: a copy of `base` (or nothing) changed by `change`, listed in its manifest
    and switched to by CURRENT once complete; then the generations no process reads any more are removed.
    IndexUnwritable if the folder cannot take it."""
    try:
        with _write_lock(index_dir, wait):
            folder = Path(tempfile.mkdtemp(dir=index_dir, prefix=f"{backend}-"))
            try:
                (folder / READERS_FILE).touch()
                if base is not None:
                    _copy_generation(base, folder, backend)
                writer = _DiskWriter(folder, backend, options)
                try:
                    change(writer)
                finally:
                    writer.close()
                _write_manifest(folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            _replace_file(index_dir / CURRENT_FILE, lambda out: out.write(folder.name.encode()))
            (index_dir / INDEX_FILE).unlink(missing_ok=True)
            _sweep(index_dir, keep=folder)
    except (*_NOT_DAMAGE, IndexBusy, TooManyChanges):
        raise
    except BaseException as exc:  # no room, no permission, read-only, or a library's own error about it
        raise IndexUnwritable(_reason(exc)) from exc


def _sweep(index_dir: Path, keep: Path | None) -> None:
    """Remove the generations but `keep` that no process reads; one that is read stays for a later sweep.
    Only under the write lock, so that a generation being written is never taken for a stale one."""
    for name in DISK_BACKENDS:
        for folder in index_dir.glob(f"{name}-*"):
            if folder == keep or not folder.is_dir():
                continue
            try:
                readers = open(folder / READERS_FILE, "rb")
            except FileNotFoundError:  # a build killed before it made the file: nothing ever read it
                shutil.rmtree(folder, ignore_errors=True)
                continue
            with readers:
                try:
                    fcntl.flock(readers, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue
                shutil.rmtree(folder, ignore_errors=True)


def _sweep_if_idle(index_dir: Path, keep: Path | None) -> None:
    """Sweep now if no writer is at work and the folder can be written; else the next writer does."""
    try:
        with _write_lock(index_dir, wait=False):
            _sweep(index_dir, keep)
    except (IndexBusy, OSError):
        pass


def build_disk(docs_dir: Path, index_dir: Path, backend: str = "tantivy",
               options: IndexOptions = IndexOptions(), scanned: Folder | None = None) -> Index:
    """A fresh disk index in a new generation, switched to only when complete.

    One build at a time per index folder: a second process waits for the first and then
    builds again. IndexUnwritable if the folder cannot take it.
    """
    docs_dir = Path(docs_dir)
    prints = (scanned or scan(docs_dir)).articles  # a missing folder is reported before anything is written
    _write_generation(index_dir, backend, options, lambda writer: writer.apply(
        [], [docs_dir / name for name in prints], prints), wait=True)
    return _reopened(docs_dir, index_dir, options)


def _reopened(docs_dir: Path, index_dir: Path, options: IndexOptions) -> Index:
    """The generation just written (or a newer one), opened."""
    try:
        index = _open_current(docs_dir, index_dir, options)
    except IndexDamaged as exc:
        raise IndexUnwritable(f"the index written there cannot be read back: {exc}") from None
    if index is None:
        raise IndexUnwritable(f"{CURRENT_FILE} is gone right after it was written")
    return index


def update_disk(docs_dir: Path, index: Index, current: dict[str, tuple[int, int]],
                options: IndexOptions = IndexOptions()) -> None:
    """Bring a disk index up to date with the folder in a new generation, re-indexing only the articles that changed."""
    store = index.search.store
    indexed = _indexed(store)
    changed = sorted(name for name in set(indexed) | set(current) if indexed.get(name) != current.get(name))
    deleted = store.get("deleted", 0) + store.paragraphs_in(changed)
    if deleted > REBUILD_SHARE * max(store.count(), 1):
        raise TooManyChanges

    def change(writer: _DiskWriter) -> None:
        writer.store.set("deleted", deleted)
        writer.apply(changed, [docs_dir / name for name in changed if name in current], current)

    _write_generation(index.search.folder.parent, index.backend, options, change, base=index.search.folder)


def cache_dir() -> Path:
    """Where the bot keeps what it can rebuild: indexes, compiled templates, console history."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "citebot"


def default_index_dir(docs_dir: Path) -> Path:
    """A per-folder cache directory, so several docs folders never share an index."""
    base = cache_dir()
    key = hashlib.sha1(str(Path(docs_dir).resolve()).encode()).hexdigest()[:12]
    return base / key


def save(index: Index, index_dir: Path) -> Path:
    """Write a memory index atomically: a crash mid-write leaves the previous index in place."""
    index_dir.mkdir(parents=True, exist_ok=True)
    target = index_dir / INDEX_FILE
    _replace_file(target, lambda out: pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL))
    if (index_dir / CURRENT_FILE).exists():  # the folder's index is now this one: "auto" must not go back to the disk one
        (index_dir / CURRENT_FILE).unlink()
        _sweep_if_idle(index_dir, keep=None)
    return target


def build(docs_dir: Path, index_dir: Path | None = None, backend: str = "auto",
          options: IndexOptions = IndexOptions(), encoder: Encoder | None = None) -> Index:
    """A fresh index of the folder; a disk index is written to `index_dir`, a memory one is not saved.
    `encoder`: a memory index also keeps its sentence vectors (a disk index's are made on request:
    `archive_vectors.archive_vectors`)."""
    docs_dir = Path(docs_dir)
    scanned = scan(docs_dir)
    for path in scanned.unread:
        _warn(unread_warning(path))
    kind = choose_backend(backend, scanned.articles)
    if kind == "memory":
        index = build_memory(docs_dir, options, scanned, encoder)
    else:
        index = build_disk(docs_dir, Path(index_dir) if index_dir else default_index_dir(docs_dir), kind, options,
                           scanned)
    return _with_scan_problems(index, scanned)


def _with_scan_problems(index: Index, scanned: Folder) -> Index:
    """The index with the article files the scan could not read named first among its problems."""
    return replace(index, problems=[*scanned.problems, *(p for p in index.problems if p not in scanned.problems)])


def _describe_change(old: dict, new: dict) -> str:
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed = sorted(n for n in set(old) & set(new) if old[n] != new[n])
    parts = [f"{label} {', '.join(names)}" for label, names in
             (("added", added), ("changed", changed), ("removed", removed)) if names]
    return "; ".join(parts) or "indexing code changed"


def _warn(message: str) -> None:
    print(one_line(f"index: {message}"), file=sys.stderr)


def _tell(messages: list[str], told: Collection[str]) -> None:
    """Say each message that was not said before (`told`): a running bot names a broken file once, not on every reload."""
    for message in messages:
        if message not in told:
            _warn(message)


_VECTORS_SAID: set[str] = set()  # the index folders whose archive was said to have no (current) sentence vectors


def _with_archive_vectors(index: Index, index_dir: Path, encoder: Encoder) -> Index:
    """A disk index with its sentence vectors, if it has them (`archive_vectors.archive_vectors`); else as it is, and
    why said once per process (a live bot reloads an archive often)."""
    from .archive_vectors import archive_vectors

    vectors, why = archive_vectors(index, index_dir, encoder)
    if why is not None and str(index_dir) not in _VECTORS_SAID:
        _VECTORS_SAID.add(str(index_dir))
        _warn(why)
    return replace(index, vectors=vectors)


def _load_memory(path: Path) -> Index | None:
    if not path.exists():
        return None
    try:
        with path.open("rb") as f:
            index = pickle.load(f)
        if not isinstance(index, Index) or index.format_version != FORMAT_VERSION:
            raise ValueError("unknown format")
    except Exception as exc:  # any unreadable file is rebuilt, whatever broke it
        _warn(f"saved index at {path} is unreadable ({type(exc).__name__}); rebuilding")
        return None
    return index


def _load_disk(docs_dir: Path, index_dir: Path, current: dict, backend: str, options: IndexOptions,
               told: Collection[str]) -> Index | None:
    """The disk index brought up to date article by article, or None if it must be built afresh.

    IndexUnwritable if it cannot be opened and the folder cannot take a new one either.
    """
    try:
        index = _open_current(docs_dir, index_dir, options)
    except IndexDamaged as exc:
        _damaged(index_dir, exc)
        return None
    if index is None:
        return None
    if index.code_version != _code_version() or index.format_version != FORMAT_VERSION:
        _warn("indexing code changed; rebuilding")
        return None
    if index.backend != backend:
        _warn(f"the saved index is a {index.backend} index, {backend} was asked for; rebuilding")
        return None
    if index.fingerprint == current:
        _sweep_if_idle(index_dir, keep=index.search.folder)  # what earlier readers left
        return index
    if options.xapian_remotes:  # the shard servers serve what they have; an update here would not reach them
        _warn(f"articles changed ({_describe_change(index.fingerprint, current)}); the remote shards serve the "
              "index as it was: run `python -m bot index --backend xapian` and restart the shard servers")
        return index
    _warn(f"articles changed ({_describe_change(index.fingerprint, current)}); updating those only")
    try:
        update_disk(docs_dir, index, current, options)
    except IndexBusy:
        _warn("another process is updating this index; answering from it as it was")
        return index
    except TooManyChanges:
        _warn("so much changed that the index is rebuilt")
        return None
    updated = _reopened(docs_dir, index_dir, options)
    _tell(updated.problems, told)
    return updated


def _damaged(index_dir: Path, exc: IndexDamaged) -> None:
    """Say that the saved index is damaged and will be rebuilt; IndexUnwritable if it cannot be (a valid index
    on a read-only disk lands here too: tantivy cannot open an index where it cannot write its lock file)."""
    try:
        tempfile.TemporaryFile(dir=index_dir).close()
    except OSError as unwritable:
        raise IndexUnwritable(f"{unwritable.strerror or unwritable}; the index there cannot be opened: {exc}") from None
    _warn(f"the saved index in {index_dir} is damaged ({exc}); rebuilding")


def load(docs_dir: Path, index_dir: Path | None = None, rebuild: bool = False, backend: str = "auto",
         options: IndexOptions = IndexOptions(), scanned: Folder | None = None, told: Collection[str] = (),
         encoder: Encoder | None = None) -> Index:
    """The saved index if it matches the folder, else an updated or fresh one (saved for next time).

    `scanned` is the folder as the caller just scanned it (the live reloader's, which leaves
    files being written for later); `told`, the problems already said, not said again;
    `encoder`, what a memory index keeps its sentence vectors from (rebuilt when it had none
    or another encoder's; the vector cache keeps that cheap), and a disk index opens its own with,
    if it was given them (`python -m bot index --vectors`).
    """
    docs_dir = Path(docs_dir)
    index_dir = Path(index_dir) if index_dir else default_index_dir(docs_dir)
    scanned = scanned or scan(docs_dir)
    current = scanned.articles
    _tell([*map(unread_warning, scanned.unread), *scanned.problems], told)
    try:
        saved = _current_disk_folder(index_dir)
    except IndexDamaged as exc:  # which kind it was is unknown: `auto` goes by the size of the folder
        _warn(f"the saved index in {index_dir} is damaged ({exc}); rebuilding")
        saved, rebuild = None, True
    if backend == "auto" and saved is not None:  # a disk index was built on purpose or for the size: keep its kind
        backend = saved.name.split("-")[0] if saved.name.split("-")[0] in DISK_BACKENDS else backend
    kind = choose_backend(backend, current)
    if kind in DISK_BACKENDS:
        try:
            index = None if rebuild else _load_disk(docs_dir, index_dir, current, kind, options, told)
            if index is None and kind == "xapian" and options.xapian_remotes:
                raise DocsError(f"no usable xapian index in {index_dir} for the remote shards in "
                                "BOT_XAPIAN_REMOTES: build it with `python -m bot index --backend xapian` without "
                                "BOT_XAPIAN_REMOTES")
            if index is None:
                index = build_disk(docs_dir, index_dir, kind, options, scanned)
                _tell(index.problems, told)
            if encoder is not None:
                index = _with_archive_vectors(index, index_dir, encoder)
        except IndexUnwritable as exc:
            _warn(f"cannot write the index in {index_dir} ({exc}); answering from an in-memory index")
            index = build_memory(docs_dir, options, scanned, encoder)
            _tell(index.problems, told)
        return _with_scan_problems(index, scanned)
    index = None if rebuild else _load_memory(index_dir / INDEX_FILE)
    if index is not None:
        vectors_ok = encoder is None or index.vectors is not None and index.vectors.made_by(encoder)
        if index.fingerprint == current and index.code_version == _code_version() and vectors_ok:
            return _with_scan_problems(index, scanned)
        _warn(f"articles changed ({_describe_change(index.fingerprint, current)}); rebuilding" if vectors_ok
              else f"the saved index has no sentence vectors of {encoder.name} ({encoder.revision}); rebuilding")
    index = build_memory(docs_dir, options, scanned, encoder)
    _tell(index.problems, told)
    try:
        save(index, index_dir)
    except OSError as exc:
        _warn(f"could not save the index in {index_dir} ({exc.strerror or exc}); answering from memory")
    return _with_scan_problems(index, scanned)
