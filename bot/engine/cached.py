"""Tables parsed from data files once and kept on disk, so a one-shot `ask` does not parse them again."""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

from index import tokenize as tokenize_module
from index.store import cache_dir

T = TypeVar("T")


def _key(inputs: list[Path]) -> str:
    """The inputs' bytes and the tokenizer's code: the tables hold its tokens."""
    digest = hashlib.sha1()
    for path in [*inputs, Path(tokenize_module.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached(name: str, inputs: list[Path], build: Callable[[], T]) -> T:
    """`build()`'s result, from a pickle keyed by the inputs; an unreadable one is made again."""
    for _ in range(2):
        path = cached_file(name, ".pkl", inputs, lambda target: target.write_bytes(pickle.dumps(build())))
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # damaged or from another Python: made again once, then built in memory
            path.unlink(missing_ok=True)
    return build()


def cached_file(name: str, suffix: str, inputs: list[Path], write: Callable[[Path], None]) -> Path:
    """A file that `write(path)` makes, kept in the cache folder keyed by the inputs and
    switched to atomically; where the cache cannot be written, a fresh one in a temporary folder."""
    cache = cache_dir() / f"{name}-{_key(inputs)}{suffix}"
    if cache.is_file():
        return cache
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        folder = cache.parent
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="citebot-"))
        cache = folder / cache.name
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    os.unlink(tmp)
    try:
        write(Path(tmp))
        os.replace(tmp, cache)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return cache
