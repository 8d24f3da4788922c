"""With the encoder on, Vietnamese typed without diacritics is answered from words alone: e5
reads it poorly, and the bundled articles' sentence that answers is then not its nearest."""
from __future__ import annotations

import pytest

from bot.engine import Engine
from index.encoder import E5Encoder
from index.vectors import VectorCache

from .conftest import DOCS

# Each declined when e5 read it (measured): words alone quote the sentence that answers.
UNACCENTED = [("muc tieu cua ha noi la gi", "Xanh, Văn hiến"),
              ("hai ben nhat tri gi", "nhất trí"),
              ("hai thanh pho thong nhat hop tac linh vuc nao", "nhất trí")]


@pytest.fixture(scope="module")
def encoded(tmp_path_factory) -> Engine:
    encoder = VectorCache(E5Encoder(), tmp_path_factory.mktemp("vectors"))
    return Engine.from_folder(DOCS, tmp_path_factory.mktemp("index"), encoder=encoder)


def _said(answer) -> tuple:
    return answer.answered, [q.text for q in answer.quotes], [(c.doc, c.paragraph) for c in answer.citations]


@pytest.mark.parametrize("question, fact", UNACCENTED)
def test_vietnamese_without_diacritics_is_answered_as_words_alone_answer_it(encoded, engine, question, fact):
    assert encoded.encoder is not None and encoded.by_words(question)
    answer = encoded.answer(question)
    assert answer.answered and fact in answer.quotes[0].text
    assert _said(answer) == _said(engine.answer(question))


@pytest.mark.parametrize("question", ["Hà Nội muốn trở thành thành phố như thế nào?",
                                      "Who held talks with Khuong Sreng?"])
def test_questions_with_diacritics_or_in_english_are_read_by_the_encoder(encoded, question):
    assert not encoded.by_words(question)


def test_a_greeting_with_diacritics_does_not_send_an_unaccented_question_to_the_encoder(encoded, engine):
    """The greeting is dropped before the question is read ("chào bạn" is not the question)."""
    question = "Chào bạn, muc tieu cua ha noi la gi"
    answer = encoded.answer(question)
    assert answer.answered and "Xanh, Văn hiến" in answer.quotes[0].text
    assert _said(answer) == _said(engine.answer(question))
