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
"""
from __future__ import annotations

import fcntl
import hashlib
import multiprocessing
import os
import pickle
import shutil
import stat
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .articles import ArticleError, DocsError, file_kind, list_folder, one_line, unread_warning
from .chunk import Paragraph, parts
from .options import IndexOptions
from .paragraph_store import ParagraphStore
from .pipeline import ArticleInfo, ProcessedArticle, process
from .proper import ProperCounts
from .search import Bm25Search, DiskSearch, Retriever

if TYPE_CHECKING:  # vectors.py imports this module for cache_dir
    from .encoder import Encoder
    from .vectors import SentenceVectors

FORMAT_VERSION = 5  # 5: articles and paragraphs carry their date and address
INDEX_FILE = "index.pkl"
CURRENT_FILE = "CURRENT"
TERMS_DIR = "terms"
BACKENDS = ("auto", "memory", "tantivy", "xapian")
DISK_BACKENDS = ("tantivy", "xapian")
# Above this much article text "auto" picks tantivy: about 5,000 paragraphs, where the
# in-memory index starts a cold `ask` more slowly than tantivy does (benchmarks/README.md).
AUTO_DISK_BYTES = 2 * 2**20
LOCK_FILE = "update.lock"
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
    articles: list[ArticleInfo]
    proper: frozenset[str] = frozenset()
    problems: list[str] = field(default_factory=list)
    format_version: int = FORMAT_VERSION
    vectors: SentenceVectors | None = None  # of every sentence, when built with an encoder (memory backend)

    @property
    def backend(self) -> str:
        return self.search.name

    @property
    def paragraph_count(self) -> int:
        return self.search.size

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
        candidates, unread = list_folder(docs_dir)
    except FileNotFoundError:
        raise DocsError(f"docs folder not found: {docs_dir}") from None
    except OSError as exc:
        raise DocsError(f"cannot read the docs folder {docs_dir} ({exc.strerror or exc})") from None
    articles, problems, settling = {}, [], set()
    now = time.time_ns()
    for path in candidates:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                problems.append(f"{path}: a link to a file that does not exist; skipped")
            continue  # else deleted since the folder was listed
        except OSError as exc:
            problems.append(f"{path}: cannot read ({exc.strerror or exc}); skipped")
            continue
        if not stat.S_ISREG(info.st_mode):
            problems.append(f"{path}: {file_kind(info.st_mode)}, not an article file; skipped")
        elif abs(now - info.st_mtime_ns) < settle * 1e9:
            settling.add(path.name)
        else:
            articles[path.name] = (info.st_size, max(info.st_mtime_ns, info.st_ctime_ns))
    return Folder(articles, unread, problems, frozenset(settling))


def choose_backend(requested: str, prints: dict[str, tuple[int, int]]) -> str:
    if requested not in BACKENDS:
        raise DocsError(f"unknown index backend {requested!r}; choose one of {', '.join(BACKENDS)}")
    if requested != "auto":
        return requested
    return "tantivy" if sum(size for size, _ in prints.values()) > AUTO_DISK_BYTES else "memory"


def _process_or_error(args: tuple[Path, tuple[int, int], int]) -> ProcessedArticle | str | None:
    """The article, why it cannot be read, or None if the file changed since it was scanned.

    A file that changed meanwhile (deleted, rewritten, still being written) was maybe read
    in part: what was read is dropped, and the next scan, which sees the change, reads it again.
    """
    path, scanned, max_bytes = args
    try:
        result = process(path, max_bytes)
    except ArticleError as exc:
        result = str(exc)
    return result if _stamp(path) == scanned else None


def _processed(paths: list[Path], prints: dict[str, tuple[int, int]], workers: int, label: str,
               max_bytes: int) -> Iterator[tuple[Path, ProcessedArticle | str]]:
    """Each file processed (or the reason it was skipped), in order, but those that changed since
    `prints` was scanned."""
    for path, result in _process_all(paths, prints, workers, label, max_bytes):
        if result is not None:
            yield path, result


def _process_all(paths: list[Path], prints: dict[str, tuple[int, int]], workers: int, label: str,
                 max_bytes: int) -> Iterator[tuple[Path, ProcessedArticle | str | None]]:
    """Each file processed, in order, on a progress bar on a terminal.

    Articles are independent, so with several workers they are cleaned and tokenized in
    parallel while this process writes them; a bounded window keeps only a few hundred
    in memory, however large the folder.
    """
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    bar = tqdm(total=len(paths), desc=label, unit="article", disable=None, file=sys.stderr, leave=False)
    try:
        if workers > 1 and len(paths) > 50:
            # forkserver: the writer's threads (tantivy's, a bot's event loop) must not be forked along
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
                window: deque = deque()
                for path in paths:
                    window.append((path, pool.submit(_process_or_error, (path, prints[path.name], max_bytes))))
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
                result = _process_or_error((path, prints[path.name], max_bytes))
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

        cache, vectors = VectorCache(encoder), []
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
    """Applies article changes to a disk index; `pending` makes an interrupted update redo itself.

    Tantivy and SQLite each commit atomically, but not together: the articles being
    changed are recorded first, and an update that finds them still recorded removes
    and re-adds them, so the two can never disagree for long.
    """

    def __init__(self, folder: Path, backend: str, options: IndexOptions = IndexOptions()):
        self.options = options
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(folder / LOCK_FILE, "w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise IndexBusy(folder) from None
        self.store = ParagraphStore(folder, writable=True)
        self.backend = self.store.get("backend") or backend
        self.terms = _terms(self.backend, folder, options, writable=True)
        self.proper = self.store.get("proper", ProperCounts())
        self.problems: list[str] = []  # why files were skipped, this update or an earlier one

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
        touched = sorted(removed | {p.stem for p in fresh})
        self.store.begin()
        self.store.set("pending", touched)
        self.store.commit()
        self.store.begin()
        for doc_id in touched:
            counts = self.store.remove(doc_id)
            if counts is not None:
                self.proper.subtract(counts)
            self.terms.remove(doc_id)
        for path, result in _processed(fresh, prints, _workers(), "indexing", self.options.max_article_bytes):
            if isinstance(result, str):
                skipped[path.name] = (*prints[path.name], result)
                continue
            pids = self.store.add(path.name, prints[path.name], result)
            for pid, paragraph, tokens in zip(pids, result.paragraphs, result.tokens):
                self.terms.add(pid, paragraph.doc_id, tokens)
            self.proper.merge(result.proper)
        build = self.store.get("build") or uuid.uuid4().hex  # one per full build; updates keep paragraph ids
        if self.backend == "xapian":
            self.terms.stamp(build)
        self.terms.commit()
        self.store.set("build", build)
        self.store.set("proper", self.proper)
        self.store.set("proper_words", self.proper.words())  # what a reader needs, without the counts
        self.store.set("skipped", skipped)
        self.problems = [reason for _, _, reason in skipped.values()]
        self.store.set("code_version", _code_version())
        self.store.set("backend", self.backend)
        self.store.set("pending", [])
        self.store.commit()

    def close(self) -> None:
        try:
            self.terms.close()
            self.store.close()
        finally:
            self._lock.close()  # releases the lock


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


def _open_disk(docs_dir: Path, folder: Path, options: IndexOptions) -> Index:
    store = ParagraphStore(folder)
    search = DiskSearch(_terms(store.get("backend", "tantivy"), folder, options, writable=False,
                               build=store.get("build")), store)
    skipped = store.get("skipped", {})
    return Index(str(Path(docs_dir).resolve()), _indexed(store), store.get("code_version", ""), search,
                 store.articles(), store.get("proper_words", frozenset()), [reason for _, _, reason in skipped.values()])


def _indexed(store: ParagraphStore) -> dict[str, tuple[int, int]]:
    """The folder as the index last saw it: indexed files and the files it skipped, which are not retried."""
    skipped = store.get("skipped", {})
    return store.fingerprint() | {name: (size, mtime) for name, (size, mtime, _) in skipped.items()}


def _current_disk_folder(index_dir: Path) -> Path | None:
    try:
        name = (index_dir / CURRENT_FILE).read_text("utf-8").strip()
    except OSError:
        return None
    folder = index_dir / name
    return folder if name and folder.is_dir() else None


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


def build_disk(docs_dir: Path, index_dir: Path, backend: str = "tantivy",
               options: IndexOptions = IndexOptions(), scanned: Folder | None = None) -> Index:
    """A fresh disk index in a new folder, switched to only when complete.

    One build at a time per index folder: a second process waits for the first and
    then builds again, so the folder it switches to is never deleted under it.
    """
    docs_dir = Path(docs_dir)
    prints = (scanned or scan(docs_dir)).articles  # a missing folder is reported before anything is written
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK_FILE, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folder = Path(tempfile.mkdtemp(dir=index_dir, prefix=f"{backend}-"))
        try:
            writer = _DiskWriter(folder, backend, options)
            try:
                writer.apply([], [docs_dir / name for name in prints], prints)
            finally:
                writer.close()
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        _replace_file(index_dir / CURRENT_FILE, lambda out: out.write(folder.name.encode()))
        for name in DISK_BACKENDS:  # the previous index, and any build killed before it could clean up
            for stale in index_dir.glob(f"{name}-*"):
                if stale != folder:
                    shutil.rmtree(stale, ignore_errors=True)
        (index_dir / INDEX_FILE).unlink(missing_ok=True)
        return _open_disk(docs_dir, folder, options)


def update_disk(docs_dir: Path, folder: Path, current: dict[str, tuple[int, int]],
                options: IndexOptions = IndexOptions()) -> list[str]:
    """Bring a disk index up to date with the folder, touching only the articles that changed."""
    writer = _DiskWriter(folder, "", options)
    try:
        indexed = _indexed(writer.store)
        pending = set(writer.store.get("pending", []))
        doc_ids = writer.store.doc_ids()
        changed = {name for name in set(indexed) | set(current) if indexed.get(name) != current.get(name)}
        changed |= {name for name, doc in doc_ids.items() if doc in pending}
        changed |= {name for name in current if Path(name).stem in pending}
        deleted = writer.store.get("deleted", 0) + writer.store.paragraphs_in(changed)
        if deleted > REBUILD_SHARE * max(writer.store.count(), 1):
            raise TooManyChanges
        writer.store.set("deleted", deleted)
        add = [docs_dir / name for name in sorted(changed) if name in current]
        writer.apply(sorted(changed), add, current)
        return writer.problems
    finally:
        writer.close()


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
    disk = _current_disk_folder(index_dir)
    if disk is not None:  # the folder's index is now this one: "auto" must not go back to the disk one
        (index_dir / CURRENT_FILE).unlink()
        shutil.rmtree(disk, ignore_errors=True)
    return target


def build(docs_dir: Path, index_dir: Path | None = None, backend: str = "auto",
          options: IndexOptions = IndexOptions()) -> Index:
    """A fresh index of the folder; a disk index is written to `index_dir`, a memory one is not saved."""
    docs_dir = Path(docs_dir)
    scanned = scan(docs_dir)
    for path in scanned.unread:
        _warn(unread_warning(path))
    kind = choose_backend(backend, scanned.articles)
    if kind == "memory":
        index = build_memory(docs_dir, options, scanned)
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
    """The disk index brought up to date article by article, or None if it must be rebuilt."""
    folder = _current_disk_folder(index_dir)
    if folder is None:
        return None
    try:
        index = _open_disk(docs_dir, folder, options)
    except (ConnectionError, DocsError):  # a shard server down, a bad setting: rebuilding would not help
        raise
    except Exception as exc:  # a missing or damaged store or term index is rebuilt
        _warn(f"saved index at {folder} is unreadable ({type(exc).__name__}); rebuilding")
        return None
    if index.code_version != _code_version():
        _warn("indexing code changed; rebuilding")
        return None
    if index.backend != backend:
        _warn(f"the saved index is a {index.backend} index, {backend} was asked for; rebuilding")
        return None
    pending = index.search.store.get("pending", [])
    if index.fingerprint == current and not pending:
        return index
    if options.xapian_remotes:  # the shard servers serve what they have; an update here would not reach them
        _warn(f"articles changed ({_describe_change(index.fingerprint, current)}); the remote shards serve the "
              "index as it was: run `python -m bot index --backend xapian` and restart the shard servers")
        return index
    _warn(f"articles changed ({_describe_change(index.fingerprint, current)}); updating those only")
    index.search.store.close()
    try:
        problems = update_disk(docs_dir, folder, current, options)
    except IndexBusy:
        _warn("another process is updating this index; answering from it as it was")
        return _open_disk(docs_dir, folder, options)
    except TooManyChanges:
        _warn("so much changed that the index is rebuilt")
        return None
    _tell(problems, told)
    return _open_disk(docs_dir, folder, options)


def load(docs_dir: Path, index_dir: Path | None = None, rebuild: bool = False, backend: str = "auto",
         options: IndexOptions = IndexOptions(), scanned: Folder | None = None, told: Collection[str] = (),
         encoder: Encoder | None = None) -> Index:
    """The saved index if it matches the folder, else an updated or fresh one (saved for next time).

    `scanned` is the folder as the caller just scanned it (the live reloader's, which leaves
    files being written for later); `told`, the problems already said, not said again;
    `encoder`, what a memory index keeps its sentence vectors from (rebuilt when it had none
    or another encoder's; the vector cache keeps that cheap).
    """
    docs_dir = Path(docs_dir)
    index_dir = Path(index_dir) if index_dir else default_index_dir(docs_dir)
    scanned = scanned or scan(docs_dir)
    current = scanned.articles
    _tell([*map(unread_warning, scanned.unread), *scanned.problems], told)
    saved = _current_disk_folder(index_dir)
    if backend == "auto" and saved is not None:  # a disk index was built on purpose or for the size: keep its kind
        backend = saved.name.split("-")[0] if saved.name.split("-")[0] in DISK_BACKENDS else backend
    kind = choose_backend(backend, current)
    if kind in DISK_BACKENDS:
        index = None if rebuild else _load_disk(docs_dir, index_dir, current, kind, options, told)
        if index is None and kind == "xapian" and options.xapian_remotes:
            raise DocsError(f"no usable xapian index in {index_dir} for the remote shards in BOT_XAPIAN_REMOTES: "
                            "build it with `python -m bot index --backend xapian` without BOT_XAPIAN_REMOTES")
        if index is None:
            index = build_disk(docs_dir, index_dir, kind, options, scanned)
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
