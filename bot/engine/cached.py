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


def cached(name: str, inputs: list[Path], build: Callable[[], T]) -> T:
    """`build()`'s result, from a pickle keyed by the inputs' bytes and the tokenizer's code.

    The tokenizer is part of the key because the tables hold its tokens.
    """
    digest = hashlib.sha1()
    for path in [*inputs, Path(tokenize_module.__file__)]:
        digest.update(path.read_bytes())
    cache = cache_dir() / f"{name}-{digest.hexdigest()[:16]}.pkl"
    try:
        with cache.open("rb") as f:
            return pickle.load(f)
    except Exception:  # missing or unreadable cache: build it again
        pass
    value = build()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f)
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only cache only costs start-up time
    return value
