"""The picker's weights: loaded as data, refused when they do not fit, and what the fit script gives."""
import json
import subprocess
import sys

import pytest

from bot.engine.picker import model as model_module
from bot.engine.picker.features import NAMES
from bot.engine.picker.model import ACCEPT_NAMES, LANGUAGE_NAMES, WEIGHTS, Model

from .conftest import ROOT


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


def test_refitting_from_the_committed_data_gives_the_committed_weights():
    done = subprocess.run([sys.executable, "-m", "training.fit_picker", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "up to date" in done.stdout


def test_the_check_tells_a_changed_weight_from_rounding():
    from training.fit_picker import _differences

    saved = json.loads(WEIGHTS.read_text("utf-8"))
    rounded = json.loads(json.dumps(saved))
    rounded["rank"]["bias"] += 1e-9
    assert _differences(saved, rounded) == []
    changed = json.loads(json.dumps(saved))
    changed["rank"]["bias"] += 0.01
    assert _differences(saved, changed) == [".rank.bias: {} != {}".format(saved["rank"]["bias"], changed["rank"]["bias"])]
