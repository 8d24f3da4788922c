"""The picker's weights: loaded as data, refused when they do not fit, and what the fit script gives.

Whether weights.json is what the committed data gives takes the whole refit (minutes), so CI
runs `python -m training.fit_picker --check` as a step of its own; here the fit's check is
shown, on questions made up for it, to tell rounding from a real change.
"""
import json

import numpy as np
import pytest

from bot.engine.picker import model as model_module
from bot.engine.picker.features import DENSE_NAMES, INDEX, NAMES
from bot.engine.picker.model import ACCEPT_NAMES, LANGUAGE_NAMES, TOP_FEATURES, WEIGHTS, Model
from index.store import build_memory
from training.fit_picker import NEWS_FOLDERS, NEWS_SETS, Asked, _differences, _engine, encoder, fit

from .conftest import FIXTURE_ARTICLES


def test_the_committed_weights_load_and_name_every_feature():
    data = json.loads(WEIGHTS.read_text("utf-8"))
    picker = Model.from_dict(data)
    assert list(data["rank"]) == list(NAMES) and list(data["accept"]) == list(ACCEPT_NAMES)
    assert list(data["language"]) == list(LANGUAGE_NAMES)
    assert 0 < picker.threshold < 1
    assert model_module.model().threshold == picker.threshold


@pytest.mark.parametrize("part, name", [("rank", NAMES[-1]), ("language", LANGUAGE_NAMES[-1])])
def test_weights_for_other_features_are_refused(part, name):
    data = json.loads(WEIGHTS.read_text("utf-8"))
    del data[part][name]
    with pytest.raises(ValueError, match="python -m training.fit_picker"):
        Model.from_dict(data)


def test_cross_validated_figures_are_kept_with_the_weights():
    report = json.loads(WEIGHTS.read_text("utf-8"))["cross_validation"]
    assert {"en-en", "vi-vi", "en-vi", "vi-en"} <= set(report)
    assert report["en-en"]["answerable_declined"] <= 0.10


def test_the_check_tells_a_changed_weight_from_rounding():
    saved = json.loads(WEIGHTS.read_text("utf-8"))
    rounded = json.loads(json.dumps(saved))
    rounded["rank"]["bias"] += 1e-6  # a value on a rounding boundary of the file's sixth decimal
    assert _differences(saved, rounded) == []
    changed = json.loads(json.dumps(saved))
    changed["rank"]["bias"] += 0.001
    assert _differences(saved, changed) == [".rank.bias: {} != {}".format(saved["rank"]["bias"], changed["rank"]["bias"])]


def _made_up(seed: int = 0) -> list[Asked]:
    """Questions of every kind the fit reads, 8 articles' worth and news, with random candidate
    rows: the right candidate is the best by a hidden linear score and some noise."""
    rng = np.random.default_rng(seed)
    hidden = rng.normal(size=len(NAMES))
    asked = []
    for group in [f"xquad{n}" for n in range(8)] + ["news"]:
        for setting in ("en-en", "vi-vi", "en-vi", "vi-en", "en-en-gap", "en-both", "vi-both-other", "en-both-own"):
            for question in range(12):
                rows = rng.normal(size=(10, len(NAMES)))
                rows[:, INDEX["bias"]] = 1.0
                both = "both" in setting or group == "news"
                same = rng.random(10) < 0.5 if both else np.full(10, setting[:2] == setting[3:5])
                rows[:, INDEX["same_language"]] = same
                present = "gap" not in setting and (both or question % 4 != 0)
                right = np.zeros(10, dtype=bool)
                if present:
                    right[np.argmax(rows @ hidden + rng.normal(size=10))] = True
                asked.append(Asked(group, "news" if group == "news" else setting, present, rows, right))
    return asked


@pytest.fixture(scope="module")
def made_up_fit():
    asked = _made_up()
    return asked, fit(asked)[0]


def test_rounding_of_every_row_leaves_the_fit_as_it_was(made_up_fit):
    asked, fitted = made_up_fit
    rng = np.random.default_rng(1)
    rounded = [Asked(a.group, a.setting, a.present, a.rows * (1 + 1e-12 * rng.standard_normal(a.rows.shape)), a.right)
               for a in asked]
    assert _differences(fitted, fit(rounded)[0]) == []


def test_a_feature_computed_twice_as_large_shows_in_that_weight_alone(made_up_fit):
    asked, fitted = made_up_fit
    column = INDEX["density"]
    assert "density" not in TOP_FEATURES  # else the acceptance model would read it too
    doubled = [Asked(a.group, a.setting, a.present, a.rows * np.where(np.arange(len(NAMES)) == column, 2.0, 1.0),
                     a.right) for a in asked]
    refitted = fit(doubled)[0]
    assert refitted["rank"]["density"] == pytest.approx(fitted["rank"]["density"] / 2, abs=1e-6)
    assert _differences(fitted, refitted) == [f".rank.density: {fitted['rank']['density']} != {refitted['rank']['density']}"]


@pytest.mark.parametrize("label", ["right", "present"])
def test_one_changed_training_label_shows_in_the_check(made_up_fit, label):
    asked, fitted = made_up_fit
    changed = list(asked)
    n, a = next((n, a) for n, a in enumerate(asked) if a.setting == "en-en" and a.present)
    if label == "right":  # another candidate of one question is the right one
        changed[n] = Asked(a.group, a.setting, a.present, a.rows, np.roll(a.right, 1))
    else:  # one answerable question's folder is taken for one that does not hold the answer
        changed[n] = Asked(a.group, a.setting, False, a.rows, np.zeros_like(a.right))
    differ = _differences(fitted, fit(changed)[0])
    assert any(d.startswith(".rank." if label == "right" else ".accept.") for d in differ), differ


@pytest.mark.parametrize("lexical", [True, False])
def test_each_folder_is_indexed_as_build_memory_indexes_it(tmp_path, lexical):
    """The fit indexes its ~500 folders from articles tokenized once: the same candidates and rows,
    without the encoder and with it (its nearest sentences' paragraphs and its columns)."""
    files = {path.name: path.read_text("utf-8") for path in FIXTURE_ARTICLES.iterdir() if path.suffix == ".txt"}
    from bot.engine import Engine

    built = Engine(build_memory(FIXTURE_ARTICLES, encoder=encoder()), encoder=encoder())
    cached = _engine(tmp_path, files)
    questions = [case["q"] for path in NEWS_SETS for case in json.loads(path.read_text("utf-8"))["cases"]]
    assert FIXTURE_ARTICLES in NEWS_FOLDERS and len(questions) > 100
    assert sum(map(built.by_words, questions)) < len(questions) / 4  # Vietnamese without diacritics: words alone
    for question in questions:
        (ours, our_rows), (theirs, their_rows) = (engine.candidates(question, lexical) for engine in (cached, built))
        assert [c.text for c in ours] == [c.text for c in theirs]
        assert our_rows.shape[1] == len(NAMES) + (0 if lexical or built.by_words(question) else len(DENSE_NAMES))
        np.testing.assert_allclose(our_rows, their_rows, rtol=1e-12, atol=1e-12)
