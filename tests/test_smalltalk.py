"""A greeting or thanks before a question is dropped, and the question answered (issue #20)."""
import pytest

from bot.engine.smalltalk import without_greeting
from bot.render import full_text


@pytest.mark.parametrize("text, question", [
    ("hi there, who met whom?", "who met whom?"),
    ("Hello! When did Khuong Sreng visit Hanoi?", "When did Khuong Sreng visit Hanoi?"),
    ("hello who met whom?", "who met whom?"),  # an English greeting needs no punctuation
    ("chào bạn, ai hội đàm với Khuong Sreng?", "ai hội đàm với Khuong Sreng?"),
    ("chao ban, ai hoi dam voi khuong sreng?", "ai hoi dam voi khuong sreng?"),
    ("Chào bot ơi, ai là đại sứ?", "ai là đại sứ?"),
    ("thanks! and where?", "and where?"),
])
def test_a_greeting_before_a_question_is_dropped(text, question):
    assert without_greeting(text) == question


@pytest.mark.parametrize("text", ["hello", "Xin chào!", "thanks to what did Hanoi grow?", "chào mừng chuyến thăm nào?",
                                  "hi-tech parks in Hanoi?", "Who met whom?"])
def test_a_greeting_alone_or_a_word_of_the_question_is_kept(text):
    assert without_greeting(text) == text


@pytest.mark.parametrize("greeted, plain", [
    ("hi there, who met whom?", "Who met whom?"),
    ("chào bạn, ai hội đàm với Khuong Sreng?", "ai hội đàm với Khuong Sreng?"),
])
def test_the_engine_answers_the_question_after_a_greeting(engine, greeted, plain):
    assert full_text(engine.answer(greeted)) == full_text(engine.answer(plain))
