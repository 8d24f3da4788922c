"""The least confidence to answer in one language, as the fit chooses it from out-of-fold confidences.

The news questions are an eighth of the one-language ones: pooled with XQuAD's, a budget of
declines they alone overspend would stand. These confidences are made up, each a question's.
"""
import numpy as np

from training.fit_picker import ABSENT_DECLINED, DECLINE_BUDGET, Asked, threshold_for


def _asked(xquad_absent: float) -> tuple[list[Asked], np.ndarray]:
    """800 answerable XQuAD questions in each language, confident from 0.3 up; 200 news questions
    from 0.1 up, so that the pooled budget declines more than DECLINE_BUDGET of them; and 200
    questions about absent articles in each language, all but 5% of them below `xquad_absent`."""
    asked, conf = [], []

    def add(setting: str, present: bool, values: np.ndarray) -> None:
        asked.extend(Asked("g", setting, present, np.zeros((1, 1)), np.zeros(1, dtype=bool)) for _ in values)
        conf.extend(values)

    for setting in ("en-en", "vi-vi"):
        add(setting, True, np.linspace(0.3, 1.0, 800))
        add(setting, False, np.concatenate([np.linspace(0.0, xquad_absent, 190), np.full(10, 0.9)]))
    add("news", True, np.linspace(0.1, 1.0, 200))
    return asked, np.array(conf)


def _declined(asked: list[Asked], conf: np.ndarray, threshold: float, setting: str, present: bool) -> float:
    mine = [c for a, c in zip(asked, conf) if a.setting == setting and a.present == present]
    return float(np.mean(np.array(mine) < threshold))


def test_news_questions_get_their_own_budget_when_absent_articles_stay_declined():
    asked, conf = _asked(xquad_absent=0.15)
    threshold, pooled = threshold_for(asked, conf)
    assert _declined(asked, conf, pooled, "news", True) > DECLINE_BUDGET
    assert threshold < pooled
    assert _declined(asked, conf, threshold, "news", True) <= DECLINE_BUDGET
    assert min(_declined(asked, conf, threshold, s, False) for s in ("en-en", "vi-vi")) >= ABSENT_DECLINED


def test_the_pooled_threshold_stays_where_lowering_it_would_answer_absent_articles():
    asked, conf = _asked(xquad_absent=0.5)
    threshold, pooled = threshold_for(asked, conf)
    assert threshold == pooled
