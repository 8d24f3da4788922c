"""The short answer line: the fact of the quote that the question asks for, or nothing."""
import pytest

from bot.engine.answer import Answer, Citation, DateFact, NameFact, NumberFact, Quote, TermFact, Topic, YesNoFact
from bot.render import to_json
from bot.engine.short import people, places_in, short_answer
from bot.engine.short.dates import date_contexts, first_date
from bot.engine.smalltalk import small_talk


def answer(kind, question, sentence, language="en", paragraph=None, words=()):
    citation = Citation("doc", 1, paragraph or sentence, "Title", language)
    return Answer(question, "en", True, kind, [Quote(sentence, 1, language)], [citation],
                  topic=Topic(tuple(words), question))


@pytest.mark.parametrize("text, fact", [
    ("who is on a visit to the capital city from September 4-6.", DateFact(month=9, day=4, day_to=6)),
    ("relations (June 24, 1967 – June 24, 2022)", DateFact(year=1967, month=6, day=24)),
    ("quan hệ ngoại giao (24/6/1967 - 24/6/2022)", DateFact(year=1967, month=6, day=24)),
    ("thăm Hà Nội từ ngày 4-6/9/2022", DateFact(year=2022, month=9, day=4, day_to=6)),
    ("đang thăm Đà Nẵng từ ngày 8 đến 10/6", DateFact(month=6, day=8, day_to=10)),
    ("scheduled to be completed by the third quarter of 2023", DateFact(year=2023, quarter=3)),
    ("hoàn thành trong quý III/2023", DateFact(year=2023, quarter=3)),
    ("growth of 7.79% during the first six months of 2022", DateFact(year=2022, half=1)),
    ("vào tháng 9 năm 2022", DateFact(year=2022, month=9)),
    ("The university was founded in 1879 by Jesuits.", DateFact(year=1879)),
])
def test_dates_are_read_in_both_languages(text, fact):
    assert first_date(text)[0] == fact


def test_a_date_without_a_year_takes_the_articles_year_in_brackets():
    fact = short_answer(answer("when", "When did Khuong Sreng visit Hanoi?", "He visits from September 4-6."),
                        lambda doc: ["In 2022 Hanoi grew.", "The plan of May 5, 2022 runs to 2045.",
                                     "Khuong Sreng is visiting Hanoi."])
    assert fact == DateFact(year=2022, month=9, day=4, day_to=6, year_inferred=True)


@pytest.mark.parametrize("paragraphs, sentence, fact", [
    (["Ngày 5/9/2022, đoàn đại biểu Hà Nội hội đàm với lãnh đạo Phnom Penh (kỷ niệm 24/6/1967 - 24/6/2022).",
      "Trước đó, cùng ngày, Bí thư Thành ủy đã đến chào xã giao Thủ tướng."],
     "Trước đó, cùng ngày, Bí thư Thành ủy đã đến chào xã giao Thủ tướng.", DateFact(2022, 9, 5, same_day=True)),
    (["The mayor arrived on September 4. On September 5, he met the chairman. Later the same day, he visited a school."],
     "Later the same day, he visited a school.", DateFact(None, 9, 5, same_day=True)),
])
def test_the_same_day_is_the_last_day_the_article_gave_before_it(paragraphs, sentence, fact):
    quoted = answer("when", "When did he visit?", sentence, paragraph=paragraphs[-1])
    assert short_answer(quoted, lambda doc: paragraphs) == fact


def test_the_same_day_stays_unresolved_when_only_an_anniversary_in_brackets_precedes():
    paragraphs = ["Chuyến thăm diễn ra vào dịp kỷ niệm 55 năm quan hệ ngoại giao (24/6/1967 - 24/6/2022).",
                  "Trước đó, cùng ngày, Bí thư Thành ủy đã đến chào xã giao Thủ tướng."]
    quoted = answer("when", "Khi nào Bí thư chào xã giao Thủ tướng?", paragraphs[1], language="vi")
    assert short_answer(quoted, lambda doc: paragraphs) is None


def test_numbers_keep_their_scale_unit_and_qualifier_and_skip_dates():
    sentence = "On June 24, 2022 Hanoi, home to nearly nine million people, grew 7.79% in its 55th year."
    assert short_answer(answer("quantity", "How many people live in Hanoi?", sentence)) == NumberFact(
        value="9", scale="million", unit="people", qualifier="nearly")
    assert short_answer(answer("quantity", "How much did the city grow, in %?", sentence.replace(
        "nearly nine million people", "many"))) == NumberFact(value="7.79", unit="percent")
    assert short_answer(answer("quantity", "Hà Nội tăng trưởng bao nhiêu?", "GRDP Hà Nội tăng 7,79% so với 2021.",
                               language="vi")) == NumberFact(value="7.79", unit="percent")
    assert short_answer(answer("quantity", "How many sides?", "The two sides agreed.")) == NumberFact(value="2")
    assert short_answer(answer("quantity", "How many delegates came?", "The two sides agreed.")) is None


def test_a_number_is_the_one_the_question_counts_or_none():
    sentence = ("Kurt Coleman led the team with seven interceptions and 88 tackles, Allen, a 5-time pro bowler, "
                "had 136 sacks, and Josh Norman had four interceptions.")
    assert short_answer(answer("quantity", "How many tackles did Coleman have?", sentence)) == NumberFact(value="88")
    assert short_answer(answer("quantity", "How many sacks did Allen have?", sentence)) == NumberFact(value="136")
    assert short_answer(answer("quantity", "How many balls did Norman intercept?", sentence)) is None
    assert short_answer(answer("quantity", "Có bao nhiêu người?", "Bà Lan đón ba người.", "vi")) == NumberFact(
        value="3", unit="people")


def test_people_are_titled_names_without_their_titles_places_or_what_follows_a_semicolon():
    assert people("Kyoto Mayor Shunsuke Takeda signed the programme with Phan Thien Khiem, Chairman of the "
                  "Hue People’s Committee, who is leading a delegation.") == ["Shunsuke Takeda", "Phan Thien Khiem"]
    assert people("tham dự còn có Đại sứ Việt Nam tại Campuchia Nguyễn Huy Tăng.") == ["Nguyễn Huy Tăng"]
    assert people("Chairman of the Hanoi People’s Committee Tran Sy Thanh met Phnom Penh Municipal Governor "
                  "Khuong Sreng.") == ["Tran Sy Thanh", "Khuong Sreng"]
    assert people("Thủ tướng Samdech Techo Hun Sen; Chủ tịch Quốc hội Samdech Heng Samrin; Phó Chủ tịch CPP") == [
        "Hun Sen", "Heng Samrin"]
    assert people("The Notre Dame campus lies in South Bend.") == []


def test_who_names_the_people_the_question_does_not():
    sentence = "Tại cuộc hội đàm, Đô trưởng Khuong Sreng và Bí thư Thành ủy Đinh Tiến Dũng nhất trí hợp tác."
    fact = short_answer(answer("who_met", "Who did Dinh Tien Dung meet?", sentence, "vi", words=("dinh", "tien", "dung")))
    assert fact == NameFact(names=("Khuong Sreng",))


def test_role_and_place_through_the_glossary():
    sentence = "For his part, Phnom Penh Municipal Governor Khuong Sreng thanked Hanoi."
    assert short_answer(answer("role", "What is Khuong Sreng's position?", sentence,
                               words=("khuong", "sreng"))) == TermFact(vi="Đô trưởng Phnom Penh",
                                                                      en="Phnom Penh Municipal Governor")
    assert short_answer(answer("where", "Where did they hold talks?", "They held talks in Hanoi on Monday.")) == \
        TermFact(vi="Hà Nội", en="Hanoi")


@pytest.mark.parametrize("kind", ["agreed", "why", "what", "proposed"])
def test_no_short_line_where_no_fact_answers(kind):
    assert short_answer(answer(kind, "What was agreed in 2022?", "They agreed on June 24, 2022 to trade more.")) is None


def test_no_short_line_when_the_quote_lacks_the_fact_asked_for():
    assert short_answer(answer("when", "When did they meet?", "They met and talked at length.")) is None


def test_the_engine_gives_the_short_line_of_the_issue(engine):
    when = to_json(engine.answer("When did Khuong Sreng visit Hanoi?"))
    assert when["short"] == "4–6 September (2022)"
    assert when["answer"].startswith("4–6 September (2022)\n“") and "September 4-6" in when["answer"]
    who = to_json(engine.answer("Đại sứ Việt Nam tại Campuchia là ai?"))
    assert who["short"] == "Nguyễn Huy Tăng"
    assert to_json(engine.answer("Hai bên đã nhất trí những gì tại cuộc hội đàm?"))["short"] is None


@pytest.mark.parametrize("text, kind, language", [
    ("hello", "greeting", "en"), ("Hi there!", "greeting", "en"), ("Xin chào", "greeting", "vi"),
    ("xin chao bot", "greeting", "vi"), ("Thanks!", "thanks", "en"), ("cảm ơn nhiều", "thanks", "vi"),
    ("cam on", "thanks", "vi"), ("help", "help", "en"), ("Giúp tôi", "help", "vi"),
])
def test_small_talk_is_the_whole_message_only(text, kind, language):
    talk = small_talk(text)
    assert (talk.kind, talk.language, talk.answered) == (kind, language, False)


@pytest.mark.parametrize("text", ["hello, who met whom?", "Help me find when Khuong Sreng visited",
                                  "thanks to what did Hanoi grow?", "chào mừng chuyến thăm nào?", "Who?"])
def test_questions_are_never_small_talk(text):
    assert small_talk(text) is None


def test_small_talk_reply_in_the_chats_language_and_keeps_the_topic(engine):
    first = engine.answer("Who did Khuong Sreng meet in Hanoi?")
    hello = engine.answer("hello", topic=first.topic, language="vi")
    assert (hello.kind, hello.language, hello.topic) == ("greeting", "vi", None)


MEETING = ("Chairman of the Hanoi People’s Committee Tran Sy Thanh said during a conference with Phnom Penh "
           "Municipal Governor Khuong Sreng, who is on a visit to the capital city from September 4-6.")


@pytest.mark.parametrize("kind, question, names", [
    ("who", "Who is the Phnom Penh governor?", ("Khuong Sreng",)),  # the governor asked for
    ("who", "Đô trưởng Phnom Penh là ai?", ("Khuong Sreng",)),  # the same title in Vietnamese
    ("who_met", "Who met the Phnom Penh governor in Hanoi?", ("Tran Sy Thanh",)),  # everyone but the governor
    ("who", "Who attended the conference?", ("Tran Sy Thanh", "Khuong Sreng")),  # no title asked: everyone
])
def test_a_title_in_the_question_says_which_person_is_asked_for(kind, question, names):
    article = [MEETING, "Khuong Sreng expressed his pleasure at visiting Hanoi."]
    assert short_answer(answer(kind, question, MEETING), lambda doc: article) == NameFact(names=names)


@pytest.mark.parametrize("question, short, wrong", [
    ("Who is Khuong Sreng?", "Phnom Penh Municipal Governor", "Tran Sy Thanh"),
    ("Who is Tran Sy Thanh?", "Chairman of the Hanoi People’s Committee", "Khuong Sreng"),
    ("Trần Sỹ Thanh là ai?", "Chủ tịch Ủy ban nhân dân Hà Nội", "Khuong Sreng"),  # the glossary's Vietnamese
    ("Who is Dinh Tien Dung?", "Party Secretary", "Hun Sen"),  # from the Vietnamese article, in English
    ("What is Tran Sy Thanh's title?", "Chairman of the Hanoi People’s Committee", "UBND"),
    ("What is Khuong Sreng's job?", "Phnom Penh Municipal Governor", "Tran Sy Thanh"),  # asked in other words
])
def test_who_is_a_person_is_their_title_in_the_askers_language(engine, question, short, wrong):
    line = to_json(engine.answer(question))["short"]
    assert short in line and wrong not in line


@pytest.mark.parametrize("question, name", [
    ("Who is the chairman of Cambodia's National Assembly?", "Heng Samrin"),  # not the Senate's chairman
    ("Chủ tịch Quốc hội Campuchia là ai?", "Heng Samrin"),
    ("ai la thu tuong campuchia", "Hun Sen"),
])
def test_who_is_the_title_names_the_one_person_holding_it(engine, question, name):
    assert to_json(engine.answer(question))["short"] == name


def test_no_holder_when_the_title_is_another_rank_or_two_people_hold_it_alike():
    sentence = "Deputy Mayor Anna Berg and Deputy Mayor Ola Nord met Governor Khuong Sreng."
    assert short_answer(answer("who", "Who is the mayor?", sentence)) is None  # a deputy mayor is not the mayor
    assert short_answer(answer("who", "Who is the deputy mayor?", sentence)) is None  # two of them
    assert short_answer(answer("who", "Who is the governor?", sentence)) == NameFact(names=("Khuong Sreng",))
    assert short_answer(answer("who", "Who is Hun Sen?", sentence)) is None  # not in the quote: not someone else


@pytest.mark.parametrize("question, sentence, language, fact", [
    # A whole number token, never the "19" of "COVID-19".
    ("Tăng trưởng GRDP của Hà Nội là bao nhiêu?", "Sau đại dịch COVID-19, GRDP Hà Nội tăng 7,79%.", "vi",
     NumberFact(value="7.79", unit="percent")),
    ("Campuchia tiêm vaccine đạt tỷ lệ như thế nào?", "ứng phó dịch COVID-19, tiêm vaccine đạt tỷ lệ cao", "vi", None),
    # The question's own "hai nước" is not the answer; the years asked are.
    ("Hai nước kỷ niệm bao nhiêu năm quan hệ ngoại giao?", "hai nước kỷ niệm 55 năm thiết lập quan hệ ngoại giao",
     "vi", NumberFact(value="55", unit="years")),
    ("How many years of diplomatic relations were celebrated?", "celebrating the 55th anniversary of diplomatic "
     "relations", "en", NumberFact(value="55", unit="years")),
    ("Which anniversary are they celebrating?", "celebrating the 55th anniversary of relations", "en",
     NumberFact(value="55", unit="anniversary")),
    # English what-questions that name a measure get the number beside it, as their Vietnamese twins do.
    ("What is the population of Hanoi?", "Hanoi is a hub with a population of nearly nine million.", "en",
     NumberFact(value="9", scale="million", qualifier="nearly")),
    ("What is the capital of Cambodia?", "Cambodia's capital has 2 million people.", "en", None),
    # The number a range comes to; the count of the noun asked; the clause that speaks of it.
    ("How many scholarships will students get?", "scholarships will rise from 20 to 40 a year", "en",
     NumberFact(value="40")),
    ("Huế đào tạo bao nhiêu thợ mộc?", "làm việc tại Huế trong 3 năm; đào tạo 30 thợ mộc", "vi",
     NumberFact(value="30")),
    ("GRDP tăng trưởng bao nhiêu?", "hàng hóa đạt 186 triệu tấn, tăng 9,5%; tăng trưởng GRDP đạt 11,2%.", "vi",
     NumberFact(value="11.2", unit="percent")),
    # The noun counted a word or two on; of two counts, the one of the noun asked.
    ("How many agreements were signed?", "The two sides signed five cooperation agreements.", "en",
     NumberFact(value="5")),
    ("How many species of trees grow there?", "an estimated 390 billion individual trees divided into 16,000 "
     "species", "en", NumberFact(value="16000")),
    # By how much it rose: the rise, not the level.
    ("Kim ngạch xuất khẩu tăng bao nhiêu?", "kim ngạch xuất khẩu đạt 3,8 tỷ USD, tăng 7,5% so với năm trước", "vi",
     NumberFact(value="7.5", unit="percent")),
    # Not a number of another year than the one asked.
    ("Nghệ An đặt mục tiêu xuất khẩu năm 2026 bao nhiêu?", "năm 2025 kim ngạch xuất khẩu của Nghệ An đạt 3,8 tỷ "
     "USD", "vi", None),
    ("How many square miles did the 2010 drought affect?", "The affected region was 1,160,000 square miles, "
     "compared to 734,000 square miles in 2005.", "en", NumberFact(value="1160000")),
    ("Lượng khách Nhật năm 2025 tăng bao nhiêu phần trăm?", "Năm 2025, Đà Nẵng đón hơn 420.000 lượt khách Nhật "
     "Bản, tăng 18,6% so với năm 2024.", "vi", NumberFact(value="18.6", unit="percent")),  # 2024 is compared with
    # A place in an order, written in digits.
    ("Đây là lần thứ mấy hội chợ được tổ chức?", "Hội chợ được tổ chức lần đầu năm 2005, đến nay là lần thứ 15.",
     "vi", NumberFact(value="15", unit="ordinal")),
    ("What rank does Jacksonville have by population?", "It is the 12th most populous city in the United States.",
     "en", NumberFact(value="12", unit="ordinal")),
    ("How much will a ticket cost?", "Kyoto will send 12 experts.", "en", None),  # a price is written with money
    ("Khách Nhật Bản đứng thứ mấy?", "khách Nhật Bản đạt khoảng 96.000 lượt", "vi", None),  # a rank, not a count
])
def test_a_number_is_whole_in_the_unit_asked(question, sentence, language, fact):
    quoted = answer("what" if question.startswith(("What", "Which")) else "quantity", question, sentence, language)
    assert short_answer(quoted) == fact


def test_english_and_vietnamese_number_questions_get_the_same_short_line(engine):
    assert to_json(engine.answer("What is the population of Hanoi?"))["short"] == "nearly 9 million"
    assert to_json(engine.answer("Dân số Hà Nội là bao nhiêu?"))["short"] == "gần 9 triệu"
    assert to_json(engine.answer("Hai nước kỷ niệm bao nhiêu năm quan hệ ngoại giao?"))["short"] == "55 năm"


@pytest.mark.parametrize("question, sentence, fact", [
    # The date in brackets belongs to the words before it: the relations, not the visit.
    ("When did Khuong Sreng visit Hanoi?", "His visit marks the 55th anniversary of diplomatic relations "
     "(June 24, 1967 – June 24, 2022).", None),
    ("When were diplomatic relations established?", "His visit marks the 55th anniversary of diplomatic relations "
     "(June 24, 1967 – June 24, 2022).", DateFact(year=1967, month=6, day=24)),
    # Of a list, the item that speaks of what is asked.
    ("When will the Osaka charter flight open?", "The sides agreed: a culture week in June 2026; a charter "
     "flight from Osaka in the fourth quarter of 2026.", DateFact(year=2026, quarter=4)),
])
def test_a_date_belongs_to_what_the_question_asks_about(question, sentence, fact):
    assert short_answer(answer("when", question, sentence)) == fact


def test_no_short_line_from_an_article_about_other_places():
    quoted = answer("quantity", "How many tourists did Da Nang welcome?", "Hanoi welcomed 3 million tourists.")
    assert short_answer(quoted, lambda doc: ["Hanoi welcomed 3 million tourists."]) is None


@pytest.mark.parametrize("question, short", [
    ("Is Hanoi's population over 10 million?", "No (nearly 9 million)"),  # another number
    ("Is Hanoi's population about 9 million?", "Yes (nearly 9 million)"),
    ("Bí thư Đinh Tiến Dũng có gặp Thủ tướng Hun Sen không?", "Có"),  # a courtesy call is a meeting
    ("Is Tran Sy Thanh the governor of Phnom Penh?", "No (Khuong Sreng)"),  # another person holds the office
    ("Is Khuong Sreng the governor of Phnom Penh?", "Yes"),
    ("Did Khuong Sreng meet Hun Sen in Hanoi?", None),  # the quote names someone else: it does not say "no"
    ("Did Tran Sy Thanh visit Phnom Penh?", None),  # the sentence names Phnom Penh, not as where he went
    ("Did Khuong Sreng visit Hanoi?", "Yes"),  # "... at visiting Hanoi and expected the trip would ..."
])
def test_yes_no_questions_get_yes_or_no_when_a_quoted_sentence_says_so(engine, question, short):
    assert to_json(engine.answer(question))["short"] == short


@pytest.mark.parametrize("question, sentence, yes", [
    ("Did the two cities sign the agreement in 2025?", "The two cities will sign the agreement in 2025.", None),
    ("Did Hanoi's GRDP grow more than 7% in the first half of 2022?", "Hanoi recovered from Covid-19 in 2021, "
     "with a GRDP growth of 7.79% during the first six months of 2022.", True),
    ("Did Hanoi's GRDP grow by 10% in 2022?", "Hanoi's GRDP grew 7.79% in 2022.", False),
    ("Did Hanoi's GRDP grow by 7.79% in 2021?", "Hanoi's GRDP grew 7.79% in 2022.", False),  # another year
    ("Hà Nội có đạt tăng trưởng GRDP 7,79% không?", "GRDP của Hà Nội không đạt 7,79%.", None),  # says "not"
])
def test_yes_no_from_numbers_dates_and_plans(question, sentence, yes):
    fact = short_answer(answer("what", question, sentence, "vi" if "Hà Nội" in question else "en"))
    assert (fact.yes if fact else None) is yes


def test_no_short_line_from_a_meeting_the_article_places_elsewhere(engine):
    # The talks the Vietnamese article reports were held in Phnom Penh: they do not say who
    # received Khuong Sreng in Hanoi, whatever names they give.
    assert to_json(engine.answer("Ai tiếp Khuong Sreng tại Hà Nội?"))["short"] in (None, "Tran Sy Thanh")
    assert to_json(engine.answer("Who did Dinh Tien Dung meet in Phnom Penh?"))["short"] == "Khuong Sreng"


@pytest.mark.parametrize("question, short", [
    ("Where did Tran Sy Thanh meet Khuong Sreng?", "Hanoi"),  # "on a visit to the capital city"
    ("When did Khuong Sreng visit Hanoi?", "4–6 September (2022)"),
])
def test_the_city_is_the_city_its_headline_names_first(engine, question, short):
    assert to_json(engine.answer(question))["short"] == short


def test_and_where_is_answered_with_the_place_the_first_question_named(engine):
    first = engine.answer("When did Khuong Sreng visit Hanoi?")
    assert to_json(engine.answer("and where?", topic=first.topic))["short"] == "Hanoi"


@pytest.mark.parametrize("text, places", [
    ("on her working visit to the southern metropolis from October 20-22.", ["Hanoi"]),
    ("He went to the city of Hue.", ["Hue"]),
    ("tại thủ đô Viêng Chăn", ["Vientiane"]),
    ("còn có Đại sứ Việt Nam tại Campuchia Nguyễn Huy Tăng.", []),  # the place of a title
    ("The festival opens in September.", []),  # a month is no place
])
def test_places_said_in_a_sentence(text, places):
    assert [p.en for p in places_in(text, set(), TermFact(vi="Hà Nội", en="Hanoi"))] == places


@pytest.mark.parametrize("question, short", [
    ("chuc vu cua dinh tien dung la gi", "Bí thư Thành ủy Hà Nội"),  # not "Chuyến thăm Campuchia của ..."
    ("Who met Hun Sen?", "Đinh Tiến Dũng (Dinh Tien Dung)"),  # not those called on after Hun Sen
    ("Whom did Dinh Tien Dung pay courtesy calls on?", "Hun Sen, Heng Samrin, Say Chhum"),
    ("Who chairs the Cambodian People's Party?", None),  # the holder is asked for, not everyone else
    ("Is Heng Samrin the president of the Senate?", "No (Say Chhum)"),  # he chairs the National Assembly
])
def test_who_stands_on_which_side_of_a_title_or_a_meeting(engine, question, short):
    assert to_json(engine.answer(question))["short"] == short


RECEPTION = ("The agreement was reached when Perth Lord Mayor Catherine Ashworth-Reid received Can Tho People’s "
             "Committee Vice Chairman Lam Quoc Trung at Council House.")


@pytest.mark.parametrize("kind, question, short", [
    ("who_met", "Who received the Can Tho delegation?", NameFact(names=("Catherine Ashworth-Reid",))),
    ("who_met", "The Perth delegation received whom?", NameFact(names=("Lam Quoc Trung",))),
    ("who", "Who led the Can Tho delegation?", None),  # the sentence does not say which of them led it
    ("who", "Who is Catherine Ashworth-Reid?", TermFact(vi="Thị trưởng", en="Perth Lord Mayor")),
])
def test_who_is_asked_for_by_the_side_of_the_meeting_the_question_asks(kind, question, short):
    assert short_answer(answer(kind, question, RECEPTION)) == short


@pytest.mark.parametrize("sentence, holds, lacks", [
    # XQuAD: the battle's date is the Mongols' defeat, nine words before its bracket.
    ("The Tran dynasty which ruled Annam (Dai Viet) crushed and defeated the Mongols at the Battle of Bạch Đằng (1288).",
     "defeated the Mongols", "Tran dynasty"),
    ("Chuyến thăm Campuchia của Bí thư Thành ủy Hà Nội Đinh Tiến Dũng diễn ra vào thời điểm hai nước đã có những "
     "hoạt động thiết thực kỷ niệm 55 năm thiết lập quan hệ ngoại giao (24/6/1967 - 24/6/2022).",
     "thiết lập quan hệ ngoại giao", "Đinh Tiến Dũng"),
    ("Đô trưởng Khuong Sreng nhấn mạnh Phnom Penh đã được bộ đội Việt Nam giải phóng năm 1979.",
     "giải phóng năm 1979", "Khuong Sreng"),
])
def test_a_date_belongs_to_the_words_it_stands_by(sentence, holds, lacks):
    [context] = set(date_contexts(sentence))
    assert holds in context and lacks not in context


def test_a_first_place_claimed_against_a_place_the_words_table_lacks_is_a_no_with_that_place():
    """Past the places the words table writes out ("third"), the place stays a number the reply writes as an
    ordinal ("No (12th)")."""
    quoted = answer("what", "Is it the first city by population?", "It is the 12th most populous city.")
    quoted.short = short_answer(quoted)
    assert quoted.short == YesNoFact(False, NumberFact(value="12", unit="ordinal"))
    assert to_json(quoted)["short"] == "No (12th)"
