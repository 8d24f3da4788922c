"""Whether the bot answers news questions it can answer and declines those it cannot, as a
reader asks them: short, led by a pronoun, a title for a person, the fact in the other
language's article. On the fictional fixture articles, so no test pins the bundled ones' wording."""
import pytest

from bot.engine import Engine

from .conftest import FIXTURE_ARTICLES


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return Engine.from_folder(FIXTURE_ARTICLES, tmp_path_factory.mktemp("index"))


def _quoted(answer) -> str:
    return " ".join(quote.text for quote in answer.quotes)


@pytest.mark.parametrize("question", ["Họ nhất trí những gì?", "ho nhat tri nhung gi"])
def test_a_question_led_by_they_is_answered_with_what_was_agreed(engine, question):
    """"Họ" (they) names no topic: the question asks what was agreed, as its English twin does."""
    answer = engine.answer(question)
    assert answer.answered and answer.language == "vi"
    assert "nhất trí" in _quoted(answer)


def test_who_holds_a_title_is_answered_from_the_other_language_with_the_city_named_inside_it(engine):
    """The glossary's "Chairman of the People's Committee" is found in "Chairman of the Ho Chi Minh
    City People's Committee": the city's name stands inside the title."""
    answer = engine.answer("Ai là Chủ tịch UBND Thành phố Hồ Chí Minh?")
    assert answer.answered
    assert "Vo Thanh Long" in _quoted(answer) and answer.citations[0].doc.startswith("011")


def test_a_number_the_articles_never_give_is_declined(engine):
    """The article speaks of the city and of numbers, not of this one."""
    answer = engine.answer("Viêng Chăn có bao nhiêu bệnh viện?")
    assert not answer.answered and not answer.citations
