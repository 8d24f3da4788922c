"""The k best of a score array, the same on every numpy and CPU.

`np.argpartition` leaves the order of equal scores to its introselect, which changed between numpy
releases: two paragraphs tied at the k-th place swapped in and out of the candidates, and a refit of
the picker moved in the fourth decimal. Ties here go to the earlier row.
"""
from __future__ import annotations

import numpy as np


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Row numbers of the k highest scores, best first, ties in row order."""
    n = len(scores)
    if k >= n:
        return np.argsort(-scores, kind="stable")
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    kth = np.partition(scores, n - k)[n - k]  # the k-th highest value; which row holds it is not used
    best = np.flatnonzero(scores >= kth)
    return best[np.argsort(-scores[best], kind="stable")][:k]
