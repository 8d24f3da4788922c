"""With the encoder on, the encoder's picker weighs again the paragraphs the words-alone picker
weighed, with those of the encoder's nearest sentences added; it reuses what their rows took
(`features.Known`) rather than computing it again. Its answers must be those it would give
computing every row afresh: the rows it weighs are the same, to the bit."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.engine import Engine, pipeline
from bot.engine.picker.features import NAMES, Known
from bot.engine.picker.model import Model
from index.encoder import E5Encoder
from index.store import load
from index.vectors import VectorCache

from .conftest import DOCS

QUESTIONS = [
    "When did Khuong Sreng visit Hanoi?",  # a when-question: the extractor dates every candidate
    "Khuong Sreng thăm Hà Nội vào những ngày nào?",
    "Who did Dinh Tien Dung pay a courtesy call on in Cambodia?",
    "Đinh Tiến Dũng hội kiến ai ở Phnom Penh?",  # the encoder adds paragraphs BM25 did not find
    "How many people live in Hanoi?",
    "Ai là Thủ tướng Campuchia?",
    "Họ thống nhất gì?",
]


@pytest.fixture(scope="module")
def encoded(tmp_path_factory) -> Engine:
    encoder = VectorCache(E5Encoder(), tmp_path_factory.mktemp("vectors"))
    return Engine(load(DOCS, tmp_path_factory.mktemp("index"), encoder=encoder), encoder=encoder)


def _weighed(engine: Engine, monkeypatch) -> tuple[list[str], list[np.ndarray]]:
    """Each question's reply and every row matrix its pickers scored."""
    rows, scores = [], Model.scores
    monkeypatch.setattr(Model, "scores", lambda self, weighed: rows.append(weighed) or scores(self, weighed))
    replies = [[q.text for q in engine.answer(question).quotes] for question in QUESTIONS]
    monkeypatch.setattr(Model, "scores", scores)
    return replies, rows


def test_the_encoders_picker_weighs_the_rows_it_would_compute_afresh(encoded, monkeypatch):
    replies, reused = _weighed(encoded, monkeypatch)
    # Another question object for each selection: nothing the words-alone picker computed is reused.
    monkeypatch.setattr(pipeline, "Known", lambda parsed: Known(dataclasses.replace(parsed)))
    fresh_replies, fresh = _weighed(encoded, monkeypatch)
    assert any(rows.shape[1] > len(NAMES) for rows in reused)  # the encoder's picker did weigh some
    assert replies == fresh_replies and any(replies)
    assert len(reused) == len(fresh)
    for mine, theirs in zip(reused, fresh):
        assert mine.shape == theirs.shape and np.array_equal(mine, theirs)
