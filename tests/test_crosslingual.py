"""Questions asked in one language of articles written in the other, beyond the domain glossary."""
import pytest

from bot.engine.questions import parse

from .conftest import engine_of

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
    return engine_of(tmp_path_factory, {"river": RIVER_VI, "king": KING_EN})


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


# Two articles in two languages about one exchange of visits, each reporting its own part.
VISIT_VI = """---
title: Đà Lạt và Chiang Mai mở rộng hợp tác du lịch
language: vi
---
Đà Lạt và Chiang Mai mở rộng hợp tác du lịch
Ngày 15/3/2023, tại Chiang Mai, Chủ tịch UBND thành phố Đà Lạt Nguyễn Văn Sang đã hội đàm với Thống đốc tỉnh Chiang Mai Nirat Pongsitthaworn.
Tại cuộc hội đàm, hai bên nhất trí mở đường bay thẳng giữa hai thành phố, trao đổi sinh viên và tổ chức tuần lễ văn hóa hằng năm.
Chủ tịch Nguyễn Văn Sang cho biết Đà Lạt đón hơn 5 triệu lượt khách du lịch trong năm 2022.
Thống đốc Nirat Pongsitthaworn nhận lời mời sang thăm Đà Lạt vào cuối năm.
"""

VISIT_EN = """---
title: Chiang Mai governor visits Da Lat
language: en
---
Chiang Mai governor visits Da Lat
Chiang Mai Governor Nirat Pongsitthaworn led a delegation to Da Lat from October 10-12, 2023, returning the visit of Da Lat's leaders in March.
During the visit, the governor toured the Da Lat flower gardens and met local coffee growers.
The two cities signed a memorandum on agricultural research at Lam Dong University.
Nirat said Chiang Mai welcomed 10 million tourists in 2022.
"""


@pytest.fixture(scope="module")
def visits(tmp_path_factory):
    return engine_of(tmp_path_factory, {"dalat": VISIT_VI, "chiangmai": VISIT_EN})


@pytest.mark.parametrize("question, language, doc, fact", [
    # Only the other language's article reports it: quoted from there, the reply in the asker's language.
    ("Thống đốc Chiang Mai thăm Đà Lạt khi nào?", "vi", "chiangmai", "October 10-12"),
    ("Đà Lạt và Chiang Mai ký biên bản ghi nhớ về lĩnh vực gì?", "vi", "chiangmai", "agricultural research"),
    ("What did the two sides agree in Chiang Mai?", "en", "dalat", "đường bay thẳng"),
    ("How many tourists did Da Lat receive in 2022?", "en", "dalat", "5 triệu"),
    # The question's own article reports it, although the other one names the same people.
    ("Chủ tịch Đà Lạt hội đàm với ai tại Chiang Mai?", "vi", "dalat", "Nirat Pongsitthaworn"),
    ("When did the governor of Chiang Mai visit Da Lat?", "en", "chiangmai", "October 10-12"),
])
def test_the_language_quoted_is_the_one_whose_article_reports_it(visits, question, language, doc, fact):
    answer = visits.answer(question)
    assert answer.answered and answer.language == language
    assert answer.citations[0].doc == doc and fact in answer.quotes[0].text


@pytest.mark.xfail(strict=True, reason="known miss: the Vietnamese sentence on Da Lat's 2022 tourists matches the "
                                       "question as well as the English one on Chiang Mai's, and is in its language")
def test_a_figure_only_the_other_article_gives_for_a_city_both_name(visits):
    answer = visits.answer("Chiang Mai đón bao nhiêu khách du lịch năm 2022?")
    assert answer.citations[0].doc == "chiangmai" and "10 million" in answer.quotes[0].text
