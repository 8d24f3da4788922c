"""The k best scores come out the same whatever numpy's selection does with ties."""
import numpy as np

from index.ranked import top_k


def test_ties_at_the_cut_go_to_the_earlier_rows():
    scores = np.array([1.0, 3.0, 2.0, 2.0, 0.5, 2.0, 3.0])
    assert top_k(scores, 3).tolist() == [1, 6, 2]
    assert top_k(scores, 4).tolist() == [1, 6, 2, 3]


def test_more_asked_than_there_are_gives_all_best_first():
    scores = np.array([0.2, 0.9, 0.2])
    assert top_k(scores, 10).tolist() == [1, 0, 2]
    assert top_k(scores, 0).tolist() == []


def test_many_equal_scores_keep_row_order():
    scores = np.zeros(10_000)
    scores[[7, 9_000]] = 1.0
    assert top_k(scores, 5).tolist() == [7, 9_000, 0, 1, 2]
