"""The short line on kinds of questions beyond the reader set, over the fictional articles of
training/data/news (fixture-articles and articles): right, or absent, never wrong."""
import shutil

import pytest

from bot.engine import Engine
from bot.engine.answer import Answer, Citation, Quote, Topic
from bot.engine.conversation import Conversation
from bot.engine.short import short_answer
from bot.engine.short.standing import standing_for
from bot.render import short_text, to_json

from .conftest import FIXTURE_ARTICLES, NEWS_DATA


@pytest.fixture(scope="module")
def fictional(tmp_path_factory):
    docs = tmp_path_factory.mktemp("fictional")
    for path in [*FIXTURE_ARTICLES.glob("*.txt"), *(NEWS_DATA / "articles").glob("*.txt")]:
        shutil.copy(path, docs / path.name)
    return Engine.from_folder(docs, tmp_path_factory.mktemp("fictional-index"))


@pytest.mark.parametrize("question, short", [
    # who is X: the title beside the name, in the asker's language
    ("Trịnh Minh Hải là ai?", "Chủ tịch HĐND thành phố Hà Nội"),  # as fully as the article once writes it
    ("Khamphoui Vongsavath là ai?", "Đô trưởng thủ đô Viêng Chăn"),
    ("Who is Pimchanok Wongsiri?", "Bangkok Deputy Governor"),
    ("Who is Lam Quoc Trung?", "Can Tho People’s Committee Vice Chairman"),
    # who is the <title>: the one person holding it
    ("Đô trưởng Viêng Chăn là ai?", "Khamphoui Vongsavath"),
    ("Who is the Vietnamese ambassador to Laos?", "Vũ Thanh Lâm (Vu Thanh Lam)"),
    ("Đại sứ Việt Nam tại Lào là ai?", "Vũ Thanh Lâm"),
    ("Who is the mayor of Kyoto?", "Shunsuke Takeda"),
    # "thành phố" (city) folds to "thanh pho", as "Phó" (deputy) does: the chairman is no deputy
    ("Chủ tịch UBND Đà Nẵng là ai?", "Lương Văn Tùng"),
    ("chu tich ubnd thanh pho da nang la ai", "Lương Văn Tùng"),
    ("Who is the Chairman of the Da Nang People's Committee?", "Lương Văn Tùng (Luong Van Tung)"),
    ("Phó Chủ tịch UBND thành phố Hải Phòng là ai?", "Trần Thị Bích Hạnh"),
    ("Chủ tịch UBND thành phố Hải Phòng là ai?", "Vũ Đình Toản"),
    ("Who is the Lord Mayor of Perth?", "Catherine Ashworth-Reid"),
    ("Ai là Tổng Lãnh sự Việt Nam tại Osaka?", "Đỗ Quang Vịnh"),  # a place the glossary lacks is no part of the name
    ("Đỗ Quang Vịnh là ai?", "Tổng Lãnh sự Việt Nam tại Osaka"),
    # what is X's title: the title written out, never an abbreviation
    ("What is Vo Thanh Long's title?", "Chairman of the Ho Chi Minh City People’s Committee"),
    ("Chức vụ của Võ Thanh Long là gì?", "Chủ tịch Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ("What is Luong Van Tung's title?", "Chairman of the People's Committee of Da Nang"),
    ("What is Vu Dinh Toan's title?", "Chairman of the People's Committee of Hai Phong"),  # the quote says "Chủ tịch"
    # numbers: whole, with the unit asked
    ("What is the population of Ho Chi Minh City?", "about 9.5 million"),
    ("Incheon có dân số bao nhiêu?", "khoảng 3 triệu người"),
    ("What percentage of Vietnam's GDP does Ho Chi Minh City account for?", "about 22%"),
    ("How many Korean visitors did Da Nang receive in 2024?", "over 1.6 million visitors"),
    ("Đà Nẵng đón bao nhiêu lượt khách Hàn Quốc năm 2024?", "hơn 1,6 triệu lượt khách"),
    ("Tăng trưởng GRDP của Hải Phòng là bao nhiêu?", "11,2%"),
    ("How much money will Kyoto contribute?", "150 million yen"),
    ("Kyoto tài trợ bao nhiêu tiền?", "150 triệu yên"),
    ("How many scholarships will Perth offer Can Tho students?", "40"),
    ("How many officials will Kyoto train?", "10"),  # "officials", a cue word of who-questions, is what it counts
    ("How many Vietnamese live in Kyoto?", "about 7,200"),  # as the article writes it
    # the count of the kind asked ("Japanese visitors"), not the total beside it
    ("How many Japanese visitors did Hue receive in 2025?", "about 96,000"),
    ("Hue don bao nhieu luot khach Nhat Ban nam 2025?", "khoảng 96.000"),
    # "what share of": the percentage, not the count beside it
    ("What share of international visitors to Da Nang are Korean?", "about 38%"),
    ("Khách Hàn Quốc chiếm tỷ trọng bao nhiêu trong tổng lượng khách quốc tế đến Đà Nẵng?", "khoảng 38%"),
    # when, where
    ("When will the joint task force start work?", "second quarter of 2026"),
    ("When did Vo Thanh Long receive Pimchanok Wongsiri?", "21 October (2025)"),  # the article's year, not the plans'
    # the date opening the sentence, not the days of the visit later in it ("từ ngày 8 đến 10/6")
    ("When did Luong Van Tung receive Kim Seong-ho?", "9 June 2025"),
    # Signed "Sau hội đàm" (after the talks) in a period "giai đoạn 2025 - 2030": on the day of the talks
    ("When did Hanoi and Vientiane sign the memorandum?", "14 October 2025"),
    ("Lương Văn Tùng tiếp Kim Seong-ho ngày nào?", "ngày 9/6/2025"),
    ("Where did the Hanoi delegation hold talks with Khamphoui Vongsavath?", "Vientiane"),
    ("Ông Lương Văn Tùng tiếp ông Kim Seong-ho ở đâu?", "Đà Nẵng"),
    # yes / no
    ("Did Trinh Minh Hai meet Khamphoui Vongsavath?", "Yes"),
    ("Trịnh Minh Hải có hội đàm với Khamphoui Vongsavath không?", "Có"),  # "có hội" is no "cơ hội" (opportunity)
    ("trinh minh hai co hoi dam voi khamphoui vongsavath khong", "Có"),
    ("Kyoto có cử 20 chuyên gia sang Huế không?", "Không (12)"),
    ("Did Kyoto send 20 specialists?", "No (12)"),  # "12 restoration specialists": the noun two words on
    ("Did Hanoi give Vientiane 5 billion dong?", "No (2.5 billion VND)"),
    ("Did Hai Phong's GRDP grow 15%?", "No (11.2%)"),  # not the 9.5% of the ports' cargo before it
    ("Kyoto có cử 12 chuyên gia sang Huế không?", "Có (12)"),
    ("Was Phan Thien Khiem the mayor of Kyoto?", "No (Shunsuke Takeda)"),
    ("Did the Can Tho delegation visit a desalination plant?", "Yes"),
])
def test_the_short_line_of_each_kind_of_question(fictional, question, short):
    assert short_text(fictional.answer(question)) == short


@pytest.mark.parametrize("question, wrong", [
    # "trao tặng thủ đô Viêng Chăn 2,5 tỷ đồng" is given to the city: no population of it
    ("What is the population of Vientiane?", "2.5"),
    ("Is Vientiane's population over 2 million?", "Yes"),
    ("Is Vientiane's population over 2 million?", "No"),  # nor "hằng năm" (every year) read as five
    # "About 7,200 Vietnamese nationals live in Kyoto city" counts them, not Kyoto's people
    ("What is the population of Kyoto?", "7,200"),
    ("Dân số Kyoto là bao nhiêu?", "7.200"),
    # "a trade mission of about 25 agribusinesses" counts businesses, not the trade
    ("How much is the trade between the two capitals?", "25"),
    # "host 10 officials": no visitors, no length of a course
    ("How many visitors did Kyoto receive in 2025?", "10"),
    ("How long does each training course in Kyoto last?", "10"),
    # "reached A$640 million in 2025, up 9.2%": the year the question gives says nothing of the 9.2%
    ("How much was the trade between Western Australia and the Mekong Delta in 2025?", "9.2"),
])
def test_no_short_line_from_a_fact_of_something_else(fictional, question, wrong):
    assert wrong not in (short_text(fictional.answer(question)) or "")


def test_a_delegation_is_met_through_its_people(engine):
    """The Vietnamese article reports Đinh Tiến Dũng's call on Hun Sen; the article names him
    "Bí thư Thành ủy Hà Nội", and he led the Hanoi delegation. Tran Sy Thanh received the Phnom
    Penh delegation, he was no member of the Hanoi one."""
    assert to_json(engine.answer("Did Hun Sen meet the Hanoi delegation?"))["short"] == "Yes"
    assert to_json(engine.answer("Did Tran Sy Thanh meet the Phnom Penh delegation?"))["short"] == "Yes"
    assert to_json(engine.answer("Did Tran Sy Thanh meet the Hanoi delegation?"))["short"] != "Yes"
    assert to_json(engine.answer("Did Hun Sen meet the Phnom Penh delegation?"))["short"] != "Yes"


@pytest.mark.parametrize("question, short", [("Who is Dinh Tien Dung?", "Party Secretary of Hanoi"),
                                             ("Đinh Tiến Dũng là ai?", "Bí thư Thành ủy Hà Nội")])
def test_a_title_is_given_as_fully_as_the_article_once_writes_it(engine, question, short):
    """The quote calls him "Bí thư Thành ủy"; the article once "Bí thư Thành ủy Hà Nội"."""
    assert short_text(engine.answer(question)) == short


def test_a_country_visited_is_no_other_place_than_a_city_in_it(engine):
    """"trong khuôn khổ chuyến thăm Campuchia ... chào xã giao ... Hun Sen": the articles do not say
    which city, and Phnom Penh is in Cambodia; no "No"."""
    assert to_json(engine.answer("Did Dinh Tien Dung meet Hun Sen in Phnom Penh?"))["short"] is None


@pytest.mark.parametrize("question", ["Campuchia tiêm vaccine đạt tỷ lệ như thế nào?",
                                      "campuchia tiem vaccine dat ty le nhu the nao"])
def test_a_rate_the_sentence_ranks_is_answered_by_its_rank(engine, question):
    answer = engine.answer(question)
    assert short_text(answer) == "hàng đầu khu vực" and "19" not in short_text(answer)


def _answer(question, sentence, language):
    citation = Citation("doc", 1, sentence, "Title", language)
    return Answer(question, "vi" if language == "vi" else "en", True, "what", [Quote(sentence, 1, language)],
                  [citation], topic=Topic((), question))


@pytest.mark.parametrize("question, sentence, language, short", [
    ("What was the vaccination rate like in Cambodia?",
     "Cambodia achieved one of the highest vaccination rates in the region.", "en", "one of the highest in the region"),
    ("How high is the vaccination rate in Cambodia?",
     "Campuchia triển khai tiêm vaccine đạt tỷ lệ cao hàng đầu khu vực.", "vi", "among the top in the region"),
    # a question counting something wants the number, which a rank is not
    ("What percentage of Cambodians are vaccinated?",
     "Cambodia achieved one of the highest vaccination rates in the region.", "en", None),
    ("Tỷ lệ tiêm vaccine của Campuchia bao nhiêu phần trăm?",
     "Campuchia triển khai tiêm vaccine đạt tỷ lệ cao hàng đầu khu vực.", "vi", None),
    # a rank of something else than the measure asked about
    ("How high is the vaccination rate in Cambodia?",
     "Cambodia is the leading rice exporter in the region, and vaccinated many.", "en", None),
])
def test_a_rank_answers_a_measure_only_when_it_ranks_that_measure(question, sentence, language, short):
    fact = short_answer(_answer(question, sentence, language))
    assert (fact.en if fact else None) == short
    assert standing_for(question, sentence, language) == fact


def test_a_visit_given_in_a_clause_on_a_person_dates_the_meeting_in_it(engine):
    """"..., who is on a visit to the capital city from September 4-6": the talks were held during it."""
    conversation = Conversation()
    conversation.ask(engine, "Who met whom in Hanoi?")
    assert short_text(conversation.ask(engine, "and when?")) == "4–6 September (2022)"
