"""Questions asked in one language of articles written in the other, beyond the domain glossary."""
import pytest

from bot.engine import Engine
from bot.questions import parse

RIVER_VI = """---
title: Sông Mê Kông
language: vi
---
Sông Mê Kông
Sông Mê Kông là một trong những con sông dài nhất châu Á, chảy qua sáu quốc gia.
Chiều dài của sông Mê Kông khoảng 4.350 km, bắt nguồn từ cao nguyên Thanh Tạng.
Đồng bằng sông Cửu Long là vùng trồng lúa lớn nhất của Việt Nam.
"""

KING_EN = """---
title: Harold Godwinson
language: en
---
Harold Godwinson
The Anglo-Saxon nobility chose Harold Godwinson as their ruler after Edward the Confessor.
King Harold Godwinson died at the Battle of Hastings in 1066, fighting the Norman invaders.
His brother Tostig had rebelled against him earlier that year.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    (docs / "river.txt").write_text(RIVER_VI, "utf-8")
    (docs / "king.txt").write_text(KING_EN, "utf-8")
    return Engine.from_folder(docs, tmp_path_factory.mktemp("index"))


def test_an_english_question_finds_a_vietnamese_article_through_the_dictionary(engine):
    answer = engine.answer("How long is the Mekong river?")
    assert answer.answered and answer.language == "en"
    assert "4.350 km" in answer.quotes[0].text and answer.citations[0].doc == "river"


def test_a_vietnamese_question_finds_an_english_article_through_the_dictionary(engine):
    answer = engine.answer("Vua Harold Godwinson chết năm nào?")
    assert answer.answered and answer.language == "vi"
    assert "1066" in answer.quotes[0].text and answer.citations[0].doc == "king"


def test_all_translations_of_a_word_are_one_concept():
    concepts = parse("Who was the king?").concepts
    king = next(c for c in concepts if c.label == "king")
    assert any({"vua"} <= alternative for alternative in king.alternatives)
    assert len(concepts) == 1  # "vua" and "quốc vương" do not count as more concepts


def test_vietnamese_words_of_several_syllables_are_one_concept():
    labels = [c.label for c in parse("Số nguyên tố là gì?").concepts]
    assert labels == ["số nguyên tố"]
    assert [c.label for c in parse("so nguyen to la gi").concepts] == ["so nguyen to"]


def test_a_phrase_must_occur_as_a_phrase(engine):
    # Every syllable of "số nguyên tố" (prime number) could be found somewhere; the word cannot.
    assert not engine.answer("Số nguyên tố lớn nhất được biết là gì?").answered
