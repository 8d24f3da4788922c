"""With the encoder on, the words-alone picker answers first, and where it is sure its answer
stands and the question is not even encoded: its rules find the talks for "who met X in <city>?"
and the sentence giving X's title for "who is X?", where the cosine preferred the courtesy call
and another sentence about X. Where it is unsure (a word the article says otherwise), the encoder
reads the question. The gate is fitted out of fold (`training.fit_picker`); here the engine is
given one the fit may choose, as the fitted ones move with every refit of a flat optimum."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.engine import Engine
from bot.engine.picker.model import model
from index.encoder import E5Encoder
from index.store import load
from index.vectors import VectorCache
from training.fit_picker import GATES, Asked, Outcome, fit_gate

from .conftest import DOCS


class Counted(VectorCache):
    """The vector cache, counting the questions it is asked to encode."""

    questions: list[str] = []

    def encode_queries(self, texts):
        self.questions.extend(texts)
        return super().encode_queries(texts)


GATE = (0.6, 0.8)  # in a sentence of the question's language, and of the other


def _engine(docs, tmp_path_factory) -> Engine:
    encoder = Counted(E5Encoder(), tmp_path_factory.mktemp("vectors"))
    encoder.questions = []
    picker = dataclasses.replace(model(dense=True), lexical_gate=GATE)
    return Engine(load(docs, tmp_path_factory.mktemp("index"), encoder=encoder), picker, encoder)


@pytest.fixture(scope="module")
def encoded(tmp_path_factory) -> Engine:
    return _engine(DOCS, tmp_path_factory)


@pytest.mark.parametrize("question, fact", [
    ("Whom did Dinh Tien Dung hold talks with in Phnom Penh?", "Đô trưởng Khuong Sreng"),
    ("Who did Đinh Tiến Dũng meet in Phnom Penh?", "Đô trưởng Khuong Sreng"),
    ("Who is Khuong Sreng?", "Phnom Penh Municipal Governor Khuong Sreng"),
    ("What position does Khuong Sreng hold?", "Phnom Penh Municipal Governor Khuong Sreng"),
])
def test_where_words_alone_are_sure_their_answer_stands_unencoded(encoded, engine, question, fact):
    asked = len(encoded.encoder.questions)
    answer = encoded.answer(question)
    assert answer.answered and any(fact in c.text for c in answer.citations)
    assert [q.text for q in answer.quotes] == [q.text for q in engine.answer(question).quotes]
    assert len(encoded.encoder.questions) == asked


def test_a_question_the_words_are_unsure_of_is_read_by_the_encoder(encoded):
    """"the mayor" is "Governor" in the article: the words find little, e5 the thanks."""
    question = "Why did the mayor thank Hanoi?"
    answer = encoded.answer(question)
    assert encoded.encoder.questions[-1] == question
    assert answer.answered and "sincere thanks" in answer.quotes[0].text


def test_the_committed_gates_are_ones_the_fit_can_choose():
    assert set(model(dense=True).lexical_gate) | set(GATE) <= set(GATES) and model(dense=False).lexical_gate is None


def _outcomes(right_from: float, across_from: float) -> tuple[list[Asked], Outcome, Outcome, list[int]]:
    """Made-up questions, one language, across and news: the words-alone picker is right where it
    is at least `right_from` sure (`across_from` for a sentence in the other language) and wrong
    below; the encoder's is right half of the time."""
    rng = np.random.default_rng(0)
    asked, n = [], 0
    for setting in ("en-en", "en-vi", "news"):
        for present in (True, False):
            for _ in range(200):
                group = "news-x" if setting == "news" else "xquad0"
                asked.append(Asked(group, setting, present, np.zeros((1, 1)), np.array([present])))
                n += 1
    confidence = rng.uniform(0.4, 1.0, n)
    present = np.array([a.present for a in asked])
    across = rng.random(n) < 0.5
    words = Outcome(confidence, confidence >= np.where(across, across_from, right_from),
                    present | (confidence < 0.45), across)
    dense = Outcome(np.full(n, 0.5), rng.random(n) < 0.5, present, rng.random(n) < 0.5)
    return asked, dense, words, list(range(n))


@pytest.mark.parametrize("right_from, across_from", [(0.7, 0.9), (0.85, 0.6)])
def test_the_gates_keep_the_words_alone_answers_from_where_they_are_right(right_from, across_from):
    asked, dense, words, twin = _outcomes(right_from, across_from)
    assert fit_gate(asked, dense, words, twin) == (right_from, across_from)
