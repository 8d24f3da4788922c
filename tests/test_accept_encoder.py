"""With the encoder, the acceptance model reads the cosine apart for a sentence in the other
language, where it is most of the evidence: on the bundled articles, each language's best for a
question is judged with the other-language weights only when it is in the other language."""
from __future__ import annotations

import numpy as np
import pytest

from bot.engine import Engine
from bot.engine.picker.model import DENSE_ACCEPT_NAMES, accept_row, model, names
from index.encoder import E5Encoder
from index.vectors import VectorCache

from .conftest import DOCS

ACROSS = [names(True)[1].index(name) for name in DENSE_ACCEPT_NAMES if name.endswith("_across")]


@pytest.fixture(scope="module")
def encoded(tmp_path_factory) -> Engine:
    encoder = VectorCache(E5Encoder(), tmp_path_factory.mktemp("vectors"))
    return Engine.from_folder(DOCS, tmp_path_factory.mktemp("index"), encoder=encoder)


@pytest.mark.parametrize("question", ["When did Khuong Sreng visit Hanoi?", "Khuong Sreng thăm Hà Nội vào những ngày nào?"])
def test_each_language_is_judged_with_its_own_weights_for_the_cosine(encoded, question):
    assert len(ACROSS) == 3
    picker = model(dense=True)
    rows = encoded.candidates(question)[1]
    scores = picker.scores(rows)
    own, _, _ = picker.sides(rows, scores)
    mine, theirs = accept_row(rows[own], scores[own]), accept_row(rows[~own], scores[~own])
    assert not mine[ACROSS].any()
    assert np.allclose(theirs[ACROSS], theirs[[i - 3 for i in ACROSS]]) and theirs[ACROSS].all()

