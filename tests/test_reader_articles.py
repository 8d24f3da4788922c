"""A reader's questions on articles the bot was never tuned or fitted on (tests/fixtures/reader-articles:
fictional, written as the news sites write, page chrome included), beside the bundled ones."""
import shutil

import pytest

from bot.engine import Engine
from bot.engine.answer import Answer, Citation, Quote
from bot.engine.conversation import Conversation
from bot.engine.leads import add_leads
from bot.engine.short.titles import title_of
from bot.render import answer_text, short_text

from .conftest import DOCS, EN_DOC, engine_of

READER_ARTICLES = DOCS.parent / "tests" / "fixtures" / "reader-articles"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    for folder in (DOCS, READER_ARTICLES):
        for article in folder.glob("*.txt"):
            shutil.copy2(article, docs)
    return Engine.from_folder(docs, tmp_path_factory.mktemp("index"))


@pytest.mark.parametrize("question, short", [
    # A title read across an aside in brackets: "Thị trưởng thành phố Sakai (Nhật Bản) Nagafuji Hideki".
    ("Ai là Thị trưởng Sakai?", "Nagafuji Hideki"),
    ("Who is the mayor of Sakai?", "Nagafuji Hideki"),
    # Each guest of a list has the title written before their name: "... Phan Thị Thắng, Phó Chủ tịch
    # UBND tỉnh Nghệ An Nguyễn Văn Đệ, Tổng Lãnh sự Lào tại Vinh Khămla Xaysana ..." (after a comma
    # comes the next guest: "Nguyễn Văn Đệ" was "Tổng Lãnh sự Lào tại Vinh Khămla Xaysana").
    ("Nguyễn Văn Đệ là ai?", "Phó Chủ tịch UBND tỉnh Nghệ An"),
    ("Who is Nguyen Van De?", "Vice Chairman of the People's Committee of Nghe An"),
    ("Khămla Xaysana là ai?", "Tổng Lãnh sự Lào tại Vinh"),
    # A name with a particle: "Đại sứ Vương quốc Hà Lan tại Việt Nam Maarten de Groot".
    ("Maarten de Groot là ai?", "Đại sứ Vương quốc Hà Lan tại Việt Nam"),
    ("Chủ tịch UBND tỉnh Lâm Đồng tiếp ai?", "Maarten de Groot"),
    # "Đỗ Thị Minh Hoa" is a name, though "Đỗ Thị" folds to "đô thị" (urban).
    ("Bà Đỗ Thị Minh Hoa là ai?", "Trưởng Ban Tổ chức"),
    # The article's date stands above its headline ("Thứ Ba, 17/11/2026 16:25"): the visit's year is 2026.
    ("Đại sứ Hà Lan thăm Lâm Đồng khi nào?", "ngày 16–18/11 (2026)"),
    # A portfolio joined by "and", before a name written with "'s": "during Minister of Industry and Trade
    # Nguyen Hong Dien's official visit" (not "Minister", from a photo's caption).
    ("Who is Nguyen Hong Dien?", "Minister of Industry and Trade"),
    # The noun counted a word or two after the number: "signed five cooperation agreements",
    # "1.5 million tonnes of rice".
    ("How many agreements did Vietnam and Indonesia sign?", "5"),
    ("How much rice will Vietnam supply to Indonesia each year?", "up to 1.5 million tonnes"),
    # Asked by how much something rose, the rise, not the level: "... đạt 3,8 tỷ USD, tăng 7,5% so
    # với năm trước", "reached 16.2 billion USD in 2025, up 11 percent".
    ("Kim ngạch xuất khẩu của Nghệ An năm 2025 tăng bao nhiêu?", "7,5%"),
    ("How much did two-way trade between Vietnam and Indonesia rise in 2025?", "11%"),
    ("Lượng khách Nhật đến Đà Nẵng năm 2025 tăng bao nhiêu phần trăm?", "18,6%"),  # "so với năm 2024": compared with
    ("Đây là lần thứ mấy hội chợ được tổ chức?", "thứ 15"),
    # Four digits are grouped as each language writes them: "khoảng 4.500 lượt khách quốc tế".
    ("Có bao nhiêu lượt khách quốc tế đến festival trà?", "khoảng 4.500 lượt khách"),
    ("How many international visitors came to the tea festival?", "about 4,500 visitors"),
    # Whom the holder of an office met: the other side of the meeting from the mayor.
    ("Who did the Sakai mayor meet in Da Nang?", "Lương Nguyễn Minh Triết (Luong Nguyen Minh Triet)"),
    ("Thị trưởng Sakai hội đàm với ai?", "Lương Nguyễn Minh Triết"),
    # A person named after "counterpart" (no office of their own there): "held talks with his Chilean
    # counterpart Carolina Fuentes"; asked who she is, the office the article gives her elsewhere.
    ("Who did Ngo Duc Hai meet in Santiago?", "Carolina Fuentes"),
    ("Ngô Đức Hải hội đàm với ai?", "Carolina Fuentes"),
    ("Who is Carolina Fuentes?", "Chilean Foreign Minister"),
    # A title, then the name in apposition: "Hai met the President of the Chilean Senate, Jorge Molina, and ..."
    ("Who is Jorge Molina?", "President of the Chilean Senate"),
    # Of a sentence's two dates, the one beside what is asked ("held talks ... on November 24, as part
    # of his official visit to Chile from November 23 to 26"), not the one beside the names.
    ("When did Ngo Duc Hai visit Chile?", "23–26 November (2026)"),
    ("Bộ trưởng Ngoại giao Ngô Đức Hải thăm Chile khi nào?", "ngày 23–26/11 (2026)"),  # "Ngoại giao" is his office
    ("When did Ngo Duc Hai hold talks with Carolina Fuentes?", "24 November (2026)"),
    # A venue named in common words: "tại Trung tâm Hành chính thành phố Đà Nẵng".
    ("Đà Nẵng và Sakai hội đàm ở đâu?", "Trung tâm Hành chính"),
])
def test_the_short_line_says_what_the_article_says(engine, question, short):
    assert short_text(engine.answer(question)) == short


@pytest.mark.parametrize("question, wrong", [
    # "Hà Lan hiện có 27 dự án đầu tư còn hiệu lực tại Lâm Đồng": the Netherlands' projects, not Japan's
    ("Nhật Bản có bao nhiêu dự án đầu tư tại Lâm Đồng?", "27"),
    ("How many investment projects does Japan have in Lam Dong?", "27"),
])
def test_a_figure_of_other_places_is_no_short_line(engine, question, wrong):
    assert wrong not in (short_text(engine.answer(question)) or "")


@pytest.mark.parametrize("question, short", [
    # "Hà Lan là nhà đầu tư nước ngoài lớn thứ hai của tỉnh, sau Nhật Bản": not the largest; "của tỉnh"
    # is the article's own province, Lâm Đồng
    ("Hà Lan có phải là nhà đầu tư nước ngoài lớn nhất của Lâm Đồng không?", "Không (lớn thứ hai)"),
    ("Is the Netherlands the largest foreign investor in Lam Dong?", "No (second largest)"),
    ("Hà Lan có phải là nhà đầu tư nước ngoài lớn thứ hai của Lâm Đồng không?", "Có"),
])
def test_a_superlative_asked_is_compared_with_the_place_the_sentence_ranks(engine, question, short):
    assert short_text(engine.answer(question)) == short


def test_a_guest_is_not_given_the_next_guests_title(engine):
    short = short_text(engine.answer("Phan Thị Thắng là ai?")) or ""
    assert "Phó Chủ tịch" not in short and "Nguyễn Văn Đệ" not in short


@pytest.mark.parametrize("question, short", [
    ("Đà Nẵng và Sakai ký biên bản ghi nhớ khi nào?", "ngày 12/3 (2026)"),
    ("When did Da Nang and Sakai sign the memorandum?", "12 March (2026)"),
])
def test_what_was_done_after_the_talks_is_dated_by_the_talks(engine, question, short):
    """"Chiều ngày 12/3, ... hội đàm với ... Sau hội đàm, hai bên đã ký biên bản ghi nhớ ...
    giai đoạn 2026 - 2030": the signing is dated by the sentence before it, not by the plan's years."""
    answer = engine.answer(question)
    assert short_text(answer) == short
    assert "Sau hội đàm, hai bên đã ký" in answer.quotes[0].text


def test_where_after_when_it_was_signed_is_where_the_talks_were(engine):
    """The signing "Sau hội đàm" (after the talks) took place where the sentence before puts the talks."""
    conversation = Conversation()
    conversation.ask(engine, "Đà Nẵng và Sakai ký biên bản ghi nhớ khi nào?")
    assert short_text(conversation.ask(engine, "Ở đâu?")) == "Trung tâm Hành chính"


@pytest.mark.parametrize("question, quoted", [
    # The chosen sentence writes "Đại sứ Maarten de Groot"; the lead gives the title in full.
    ("Maarten de Groot là ai?", "Đại sứ Vương quốc Hà Lan tại Việt Nam Maarten de Groot"),
    ("Ông Nguyễn Đức Hoàng giữ chức vụ gì?", "Chủ tịch UBND tỉnh Lâm Đồng Nguyễn Đức Hoàng"),
])
def test_a_title_said_in_short_is_quoted_where_the_article_writes_it_in_full(engine, question, quoted):
    assert quoted in engine.answer(question).quotes[0].text


def test_a_yes_no_question_on_a_title_is_answered_yes_or_no_and_followed_up_as_asked(engine):
    """"... giữ chức vụ Đại sứ Hà Lan phải không?" asks about a title, yet it is a yes/no question: its short
    line is a yes or a no, never the title, and the sentence it rests on is the one chosen for it, so a
    follow-up continues the question asked (not the text of a paragraph quoted for a title)."""
    question = "Ông Maarten de Groot giữ chức vụ Đại sứ Hà Lan phải không?"
    answer = engine.answer(question)
    assert short_text(answer) in (None, "Có") and answer.topic.question == question


def test_a_who_is_answer_quotes_the_sentence_its_title_comes_from(engine):
    """Anna Lindqvist's title is written in full in the body ("Chalmers Vice President for Global
    Engagement Anna Lindqvist"), shortened in a photo's caption: the quote gives the one the short line says."""
    answer = engine.answer("Who is Anna Lindqvist?")
    assert short_text(answer) == "Chalmers Vice President for Global Engagement"
    assert "Vice President for Global Engagement Anna Lindqvist" in answer.quotes[0].text


def test_a_quote_opening_with_he_brings_the_sentence_naming_him(engine):
    """"He also attended a business forum ..." alone does not say who did: the reply quotes the
    sentence before it too ("... Dien was received by ..."), in the question's language or not."""
    for question in ("Who attended a business forum with more than 200 companies?",
                     "Ai đã dự diễn đàn doanh nghiệp với hơn 200 công ty?"):
        reply = answer_text(engine.answer(question))
        assert "“On October 20, Dien was received by Indonesian Vice President Gibran Rakabuming Raka. He also " \
               "attended a business forum" in reply, question


@pytest.mark.parametrize("sentence, lead", [
    ("Ông cho biết hai bên sẽ mở đường bay thẳng.", True),   # "He said ...": a pronoun
    ("Ông Nagafuji Hideki cho biết hai bên sẽ mở đường bay thẳng.", False),  # "Mr Nagafuji ...": a name follows
    ("Họ đã ký năm văn kiện.", True),
    ("Hội đồng đã ký năm văn kiện.", False),  # "Hội", not "Họ"
    ("Itsuki Sato said both sides would open a direct flight.", False),  # "Its", not as a word
])
def test_only_a_word_pointing_back_brings_the_sentence_before(sentence, lead):
    paragraph = f"Chiều 12/3, Chủ tịch Lương Nguyễn Minh Triết tiếp Thị trưởng Sakai. {sentence}"
    answer = Answer("?", "vi", True, "what", quotes=[Quote(sentence, 1, "vi")],
                    citations=[Citation("a", 1, paragraph, "A", "vi")])
    add_leads(answer)
    assert answer.quotes[0].lead == ("Chiều 12/3, Chủ tịch Lương Nguyễn Minh Triết tiếp Thị trưởng Sakai." if lead else "")


def test_a_list_of_agreed_points_is_answered_point_by_point(engine, tmp_path):
    """"The two sides agreed to:" then a line per point ("- set up a working group ...;"): the reply
    quotes the introduction with the points as its bullets, and a question about one point quotes it
    without the article's dash. (Beside the bundled articles alone: with the Indonesian trade visit too,
    "the two sides" is as much its own.)"""
    docs = tmp_path / "docs"
    docs.mkdir()
    for article in (*DOCS.glob("*.txt"), READER_ARTICLES / "005_vietnam_chile_en.txt"):
        shutil.copy2(article, docs)
    reply = answer_text(Engine.from_folder(docs, tmp_path / "index").answer("What did the two sides agree to?"))
    assert "“The two sides agreed to:” [1]\n• set up a working group on agricultural market access" in reply
    assert "• hold the next meeting of the Vietnam-Chile Joint Committee in Hanoi in 2027." in reply
    answer = engine.answer("Where will the next Vietnam-Chile Joint Committee meeting be held?")
    assert short_text(answer) == "Hanoi"
    assert answer_text(answer).startswith("Hanoi\n“…hold the next meeting of the Vietnam-Chile Joint Committee")


@pytest.mark.parametrize("question", ["How many Dutch tourists visit Da Lat each year?",
                                      "Mỗi năm có bao nhiêu du khách Hà Lan đến Đà Lạt?"])
def test_a_day_is_no_figure_of_what_is_counted(engine, question):
    """The sentence found ("Sáng 17/11, ... tiếp Đại sứ Vương quốc Hà Lan ...") writes no number but
    its day: the articles give no figure for it, and the reply says so."""
    answer = engine.answer(question)
    assert (answer.answered, answer.kind) == (False, "no_figure")


PROVINCES = """---
title: Đoàn Quảng Trị thăm và làm việc tại Savannakhet
language: vi
date: 2026-12-04
---
Đoàn Quảng Trị thăm và làm việc tại Savannakhet

Từ ngày 2 đến 4/12, đoàn đại biểu tỉnh Quảng Trị do Bí thư Tỉnh ủy Quảng Trị Lê Quang Thịnh làm trưởng đoàn đã thăm \
và làm việc tại tỉnh Savannakhet.

Sáng 3/12, đoàn đã hội đàm với Tỉnh trưởng tỉnh Savannakhet Bounthone Keomany.

Năm 2025, tỉnh Thái Bình thu hút 2,35 tỷ USD vốn đầu tư trực tiếp nước ngoài, tăng 38,6% so với năm trước.
"""


FACTORY = """---
title: Brenner to build robot factory in Vietnam
language: en
date: 2026-11-30
---
Brenner to build robot factory in Vietnam

Prime Minister Le Minh Khanh received Markus Albrecht, chief executive officer of the German robot maker Brenner \
Robotics, in Hanoi on Monday.

Albrecht said Brenner would invest $1.2 billion in Vietnam over five years, including $450 million for a robot arm \
factory in Hai Phong.
"""


@pytest.fixture(scope="module")
def provinces(tmp_path_factory):
    """A province (Quảng Trị, Thái Bình) and a port city (Hai Phong) beside people and figures."""
    return engine_of(tmp_path_factory, {"quang_tri": PROVINCES, "factory": FACTORY})


@pytest.mark.parametrize("question, short", [
    # A province the glossary lacks, between the title and the name: the name starts at its family name
    ("Lê Quang Thịnh là ai?", "Bí thư Tỉnh ủy Quảng Trị"),
    # ... and "tỉnh Quảng Trị" is a province, not a person; the delegation's head is not whom it met
    ("Lê Quang Thịnh hội đàm với ai?", None),
    ("Đoàn Quảng Trị hội đàm với ai?", None),
    # The noun after "how much" counted in the article's words: "2,35 tỷ USD vốn đầu tư" is FDI (glossary)
    ("How much FDI did Thai Binh attract in 2025?", "2.35 billion USD"),
    # Of a sentence's places, the one after what is asked: "... factory in Hai Phong", not "invest ... in Vietnam"
    ("Where will Brenner build its robot arm factory?", "Hai Phong"),
])
def test_the_short_line_on_articles_naming_places_the_glossary_lacks(provinces, question, short):
    assert short_text(provinces.answer(question)) == short


def _bundled() -> dict[str, str]:
    """The bundled articles, by name: new ones are dropped beside them, as in a reader's folder."""
    return {p.stem: p.read_text("utf-8") for p in DOCS.glob("*.txt")}


@pytest.fixture(scope="module")
def beside_the_bundled(tmp_path_factory):
    """A new article dropped beside the bundled English one, which has a chairman and a meeting too."""
    return engine_of(tmp_path_factory, {EN_DOC: (DOCS / f"{EN_DOC}.txt").read_text("utf-8"), "factory": FACTORY})


def test_a_question_naming_someone_is_not_answered_from_an_article_without_them(beside_the_bundled):
    """Albrecht is in the folder, but not in the bundled article's sentence on a chairman's meeting."""
    answer = beside_the_bundled.answer("When did Albrecht meet the chairman of the Hai Phong People's Committee?")
    assert not answer.answered, answer.citations
    answer = beside_the_bundled.answer("Who did Albrecht meet in Hanoi?")
    assert answer.answered and answer.citations[0].doc == "factory"


def test_a_figure_named_only_in_the_other_language_comes_from_that_article(engine):
    """The Vietnamese articles give other trade figures, none naming Chile: the English one does."""
    answer = engine.answer("Kim ngạch thương mại Việt Nam - Chile năm 2025 đạt bao nhiêu?")
    assert answer.answered and answer.citations[0].doc == "005_vietnam_chile_en"
    assert "2.1 billion" in answer.citations[0].text


@pytest.mark.parametrize("question, short", [
    # The title in apposition after the name, going on to describe the company ("... robot maker Brenner Robotics")
    ("Who is Markus Albrecht?", "chief executive officer of the German robot maker Brenner Robotics"),
])
def test_a_title_after_the_name_names_the_organisation_it_describes(provinces, question, short):
    assert short_text(provinces.answer(question)) == short


@pytest.mark.parametrize("text, name, title", [
    ("Tim Cook, chief executive of Apple, said on Monday.", "Tim Cook", "chief executive of Apple"),
    ("Joe Ruiz, director of the national museum of history, said.", "Joe Ruiz",
     "director of the national museum of history"),
    # A list of people, each with a title: the clause after the first name is the next person's
    ("Phan Thị Thắng, Phó Chủ tịch UBND tỉnh Nghệ An Nguyễn Văn Đệ, và đoàn", "Phan Thị Thắng", None),
])
def test_a_title_in_apposition_after_a_name(text, name, title):
    found = title_of(text, name)
    assert (" ".join(found) if found else None) == title


HOSPITAL = """---
title: Hue hospital signs heart surgery pact with Melbourne
language: en
date: 2026-11-27
---
Hue hospital signs heart surgery pact with Melbourne

Hue Central Hospital, which has 4,200 beds, carried out 152 organ transplants in 2025, including 118 kidney transplants.
"""

AIRPORT = """---
title: Cam Ranh airport traffic surges
language: en
date: 2026-11-20
---
Cam Ranh airport traffic surges

Cam Ranh International Airport handled 6.8 million passengers in the first ten months of 2026, up 23.5 percent.
"""


METRO = """---
title: TP.HCM khánh thành tuyến metro số 2
language: vi
date: 2026-11-28
---
TP.HCM khánh thành tuyến metro số 2

Sáng 28/11, UBND TP.HCM tổ chức lễ khánh thành tuyến metro số 2 (Bến Thành - Tham Lương), dài 11,3 km.

Giá vé lượt từ 8.000 đến 18.000 đồng tùy quãng đường, vé tháng 300.000 đồng.

Lễ cắt băng khánh thành diễn ra tại ga Tham Lương (quận 12).
"""


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """New articles dropped beside the bundled ones, as a reader's folder holds them."""
    return engine_of(tmp_path_factory, {**_bundled(), "hospital": HOSPITAL, "airport": AIRPORT, "metro": METRO})


@pytest.mark.parametrize("question, doc", [
    ("How many organ transplants did Hue Central Hospital carry out in 2025?", "hospital"),
    # A year the article does not report: not the figure of another year
    ("How many organ transplants did Hue Central Hospital carry out in 2024?", None),
    ("How many passengers did Cam Ranh airport handle in 2026?", "airport"),
    # ... nor another article's sentence that has the year but not the airport
    ("How many passengers did Cam Ranh airport handle in 2025?", None),
])
def test_a_figure_asked_for_a_year_comes_from_a_sentence_of_that_year(figures, question, doc):
    answer = figures.answer(question)
    assert [c.doc for c in answer.citations][:1] == ([doc] if doc else [])


@pytest.mark.parametrize("text, name, title", [
    # A deputy's title opening the sentence keeps its first word: the Deputy Prime Minister is not the Prime Minister
    ("Phó Thủ tướng Chính phủ Lương Quốc Hải cắt băng khánh thành.", "Lương Quốc Hải", "Phó Thủ tướng Chính phủ"),
    ("Thủ tướng Chính phủ Lê Minh Khánh dự lễ.", "Lê Minh Khánh", "Thủ tướng Chính phủ"),
])
def test_a_title_opening_the_sentence(text, name, title):
    assert " ".join(title_of(text, name)) == title


GAMES = """---
title: Đoàn thể thao Việt Nam xếp thứ nhì SEA Games 34
language: vi
date: 2026-12-20
---
Đoàn thể thao Việt Nam xếp thứ nhì SEA Games 34

SEA Games 34 diễn ra tại Malaysia từ ngày 5 đến 16/12. SEA Games 35 sẽ được tổ chức tại Singapore vào năm 2029.

Sáng thứ Hai, đoàn thể thao Việt Nam xếp thứ nhì toàn đoàn với 98 huy chương vàng.
"""

MARKETS = """---
title: Kazakh tourists flock to Nha Trang
language: en
date: 2026-12-01
---
Kazakh tourists flock to Nha Trang

Kazakhstan is now the fourth-largest source market for Khanh Hoa Province after South Korea, China and Russia.
"""


@pytest.fixture(scope="module")
def games(tmp_path_factory):
    return engine_of(tmp_path_factory, {**_bundled(), "games": GAMES, "markets": MARKETS})


@pytest.mark.parametrize("question, short", [
    # A place Vietnamese writes as English does is not given in its Vietnamese transliteration ("Xinh-ga-po")
    ("Where will SEA Games 35 be held?", "Singapore"),
    ("Where was SEA Games 34 held?", "Malaysia"),
])
def test_a_foreign_place_is_named_in_english_as_english_writes_it(games, question, short):
    assert short_text(games.answer(question)) == short


def test_an_edition_the_articles_do_not_report_is_not_answered_by_another(games):
    """The article reports SEA Games 34 (and names the 35th's host): nothing on the 33rd."""
    assert not games.answer("Where was SEA Games 33 held?").answered


@pytest.mark.parametrize("question, quoted", [
    # A sum asked: the sentence writing the fares, not the opening one ranked above it
    ("Giá vé metro số 2 là bao nhiêu?", "18.000 đồng"),
    # No sum for it in the articles: not the sentence on transplants or passengers
    ("How much did the Hue Central Hospital heart centre cost?", None),
    ("How much revenue did Cam Ranh airport make in 2026?", None),
])
def test_a_sum_asked_is_answered_by_a_sentence_writing_one(figures, question, quoted):
    answer = figures.answer(question)
    assert answer.answered == bool(quoted)
    assert not quoted or quoted in answer.quotes[0].text


@pytest.mark.parametrize("question, short", [
    # A place in an order written out: "xếp thứ nhì", "the fourth-largest"; "thứ Hai" would be a Monday
    ("Đoàn Việt Nam xếp thứ mấy toàn đoàn tại SEA Games 34?", "thứ 2"),
    ("What rank does Kazakhstan hold among Khanh Hoa's source markets?", "4th"),
])
def test_a_rank_written_in_words(games, question, short):
    assert short_text(games.answer(question)) == short


@pytest.mark.parametrize("question, short", [
    # "The first?" against a later place in an order: No, and which
    ("Is Kazakhstan the first source market for Khanh Hoa?", "No (fourth)"),
    ("Việt Nam có xếp thứ nhất toàn đoàn không?", "Không (thứ hai)"),
])
def test_a_first_place_claimed_against_a_later_one_is_a_no(games, question, short):
    assert short_text(games.answer(question)) == short


def test_a_vietnamese_word_beside_a_name_is_not_read_as_a_slip_of_another(figures):
    """"Bệnh" (of "Bệnh viện", hospital) beside "Melbourne" is one edit from Phnom Penh's "Penh"."""
    answer = figures.answer("Bệnh viện Trung ương Huế ký thỏa thuận với Bệnh viện Hoàng gia Melbourne khi nào?")
    assert answer.read_as == ()


@pytest.mark.parametrize("question, short", [
    # A venue the glossary does not know, named after a lowercase noun: the noun belongs to the place
    ("Lễ cắt băng khánh thành diễn ra ở đâu?", "ga Tham Lương"),
    ("Lễ cắt băng diễn ra ở đâu?", "ga Tham Lương"),
])
def test_a_station_named_after_its_noun_is_the_place(figures, question, short):
    assert short_text(figures.answer(question)) == short
