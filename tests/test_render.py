"""Both languages' templates, as plain text and as escaped Telegram HTML."""
import pytest

from bot.engine.answer import Answer, Citation, DateFact, NameFact, NumberFact, Quote, TermFact, YesNoFact
from bot.render import full_text, message, paragraph_text, short_text, shorten, to_json


def sample(language="en", text="Tom <b>&</b> Jerry met.", cited_language="en", short=None, url=""):
    citation = Citation("doc", 3, text + " More text.", "A <title>", cited_language, url)
    return Answer("q?", language, True, "who_met", [Quote(text, 1, cited_language)], [citation], short=short)


def test_english_reply_has_answer_then_sources_without_repeating_the_quote():
    text = full_text(sample())
    assert text == "“Tom <b>&</b> Jerry met.” [1]\n\nSources:\n[1] A <title>, ¶3"


def test_the_source_link_is_shown_when_the_article_has_one():
    assert full_text(sample(url="https://example.org/a")).endswith("[1] A <title>, ¶3 https://example.org/a")


def test_vietnamese_reply_names_the_language_of_a_quote_in_the_other_one():
    text = full_text(sample("vi"))
    assert text.startswith("Bằng tiếng Anh: “Tom")
    assert text.endswith("Nguồn:\n[1] A <title>, đoạn 3")


def test_html_escapes_every_dynamic_piece():
    html = full_text(sample(short=NameFact(names=("A<b>",))), html=True)
    assert html.startswith("<b>A&lt;b&gt;</b>\n")
    assert "Tom &lt;b&gt;&amp;&lt;/b&gt; Jerry" in html
    assert "<i>A &lt;title&gt;</i>" in html
    assert "<b>Sources:</b>" in html
    assert "<b>&</b>" not in html


def test_no_answer_in_both_languages():
    en = Answer("q", "en", False, "what")
    vi = Answer("q", "vi", False, "what")
    assert "The articles do not say" in full_text(en)
    assert "Các bài báo không nói" in full_text(vi)
    assert "Sources" not in full_text(en)


def test_json_shape():
    out = to_json(sample(short=DateFact(year=2022, month=9, day=4, day_to=6)))
    assert set(out) == {"language", "answered", "answer", "short", "read_as", "about", "citations", "text"}
    assert out["read_as"] == [] and out["about"] == []
    assert out["citations"] == [{"doc": "doc", "paragraph": 3, "text": "Tom <b>&</b> Jerry met. More text.", "date": None}]
    assert out["short"] == "4–6 September 2022"
    assert out["answer"] == "4–6 September 2022\n“Tom <b>&</b> Jerry met.” [1]"
    assert "Sources" not in out["answer"] and "Sources" in out["text"]
    assert to_json(sample())["short"] is None


@pytest.mark.parametrize("fact, en, vi", [
    (DateFact(year=2022, month=9, day=4, day_to=6, year_inferred=True), "4–6 September (2022)", "ngày 4–6/9 (2022)"),
    (DateFact(year=1967, month=6, day=24), "24 June 1967", "ngày 24/6/1967"),
    (DateFact(year=2020, month=3), "March 2020", "tháng 3/2020"),
    (DateFact(year=1879), "1879", "năm 1879"),
    (DateFact(year=2023, quarter=3), "third quarter of 2023", "quý III/2023"),
    (DateFact(year=2022, half=1), "first half of 2022", "6 tháng đầu năm 2022"),
    (NumberFact(value="9", scale="million", qualifier="nearly"), "nearly 9 million", "gần 9 triệu"),
    (NumberFact(value="7.79", unit="percent"), "7.79%", "7,79%"),
    (NumberFact(value="12500", unit="people", qualifier="over"), "over 12,500 people", "hơn 12.500 người"),
    (NameFact(names=("Nguyễn Huy Tăng",)), "Nguyễn Huy Tăng (Nguyen Huy Tang)", "Nguyễn Huy Tăng"),
    (NameFact(names=("Hun Sen", "Heng Samrin")), "Hun Sen, Heng Samrin", "Hun Sen, Heng Samrin"),
    (TermFact(vi="Đô trưởng", en="Governor"), "Governor", "Đô trưởng"),
    (NumberFact(value="55", unit="anniversary"), "55th anniversary", "kỷ niệm 55 năm"),
    (NumberFact(value="150", scale="million", unit="jpy"), "150 million yen", "150 triệu yên"),
    (YesNoFact(yes=True), "Yes", "Có"),
    (YesNoFact(yes=False, because=NumberFact(value="9", scale="million", qualifier="nearly")),
     "No (nearly 9 million)", "Không (gần 9 triệu)"),
])
def test_the_short_line_is_worded_the_way_each_language_writes_it(fact, en, vi):
    assert short_text(sample("en", short=fact)) == en
    assert short_text(sample("vi", short=fact)) == vi


def test_the_whole_paragraph_is_an_expandable_quote_in_html():
    answer = sample(text="A < B.")
    assert paragraph_text(answer, 1) == "[1] A <title>, ¶3\nA < B. More text."
    html = paragraph_text(answer, 1, html=True)
    assert html.endswith("<blockquote expandable>A &lt; B. More text.</blockquote>")


def test_meetings_are_one_line_each_most_people_first_at_most_five():
    sentences = ["Mayor Tran Sy Thanh met Governor Khuong Sreng in Hanoi on September 4, 2022.",
                 *[f"Secretary Dinh Tien Dung received Minister Anna Berg{n} and Director Ola Nord{n}." for n in range(6)]]
    citations = [Citation(f"d{n}", n, s, f"T{n}", "en") for n, s in enumerate(sentences)]
    answer = Answer("Who met whom?", "en", True, "who_met", [Quote(s, n + 1, "en") for n, s in enumerate(sentences)],
                    citations)
    lines = full_text(answer).split("\n\nSources:")[0].split("\n")
    assert lines[0] == "The articles report these meetings:"
    assert lines[1] == "• Dinh Tien Dung – Anna Berg0, Ola Nord0 [2]"
    assert len(lines) == 1 + 5 + 1 and lines[-1] == "…and 2 more."
    assert "• Tran Sy Thanh – Khuong Sreng" not in full_text(answer)  # the sixth and seventh are left out
    sources = full_text(answer).split("Sources:\n")[1].splitlines()
    assert sources == [f"[{n}] T{n - 1}, ¶{n - 1}" for n in range(2, 7)]  # of the meetings listed only
    vi = full_text(Answer("Ai gặp ai?", "vi", True, "who_met", answer.quotes[:2], citations[:2]))
    assert "• Tran Sy Thanh – Khuong Sreng, Hà Nội, ngày 4/9/2022 [1]" in vi


def test_small_talk_is_answered_with_two_example_questions():
    for kind in ("greeting", "thanks", "help"):
        en = full_text(Answer("hi", "en", False, kind))
        vi = full_text(Answer("chào", "vi", False, kind))
        assert en.count("\n• ") == 2 and vi.count("\n• ") == 2
        assert "do not say" not in en and "không nói" not in vi
    assert full_text(Answer("hi", "en", False, "greeting")).startswith("Hello!")
    assert full_text(Answer("chào", "vi", False, "greeting")).startswith("Xin chào!")


def test_shorten():
    assert shorten("one two three", 7) == "one…"
    assert shorten("one", 7) == "one"


def test_messages_exist_in_both_languages():
    for language in ("en", "vi"):
        for name in ("help", "start", "apology", "new_topic", "lang_usage", "lang_admins_only", "stale_button"):
            kwargs = {"name": "Ann"} if name == "start" else {}
            assert message(name, language, **kwargs)
        assert len(message("description", language)) <= 512
        assert len(message("short_description", language)) <= 120
    assert "Ann" in message("start", "en", name="Ann")
    assert "<b>" in message("help", "vi", html=True)


def test_the_other_language_is_named_once_for_quotes_in_a_row():
    quotes = [Quote("Hanoi’s mayor proposed high-ranking exchanges.", 1, "en"),
              Quote("Hanoi and Phnom Penh should hold investment conferences, Thanh said.", 1, "en")]
    answer = Answer("Thanh đề xuất gì?", "vi", True, "proposed", quotes, [Citation("d", 18, "…", "T", "en")])
    text = full_text(answer)
    assert text.count("Bằng tiếng Anh:") == 1 and "” [1] “Hanoi and Phnom Penh" in text


def test_a_quote_within_a_quote_has_single_marks():
    text = full_text(sample(text="“On this basis, the city is working on two major plannings,” Thanh said."))
    assert text.startswith("“‘On this basis, the city is working on two major plannings,’ Thanh said.” [1]")
    assert "““" not in text and "””" not in text
    # Marks inside the sentence stay as the article writes them (a reader may search for them).
    assert full_text(sample(text='They are judged "wrong" by conscience.')).startswith(
        '“They are judged "wrong" by conscience.” [1]')
    assert full_text(sample(text="He said “we agree”")).startswith("“He said ‘we agree’” [1]")


AGREED = ("Hai bên nhất trí tìm ra định hướng hợp tác; thúc đẩy đầu tư - du lịch; tiếp nhận thêm sinh viên "
          "Campuchia; tăng cường trao đổi thông tin.")
POINTS = ("Hai bên nhất trí tìm ra định hướng hợp tác;", "thúc đẩy đầu tư - du lịch;",
          "tiếp nhận thêm sinh viên Campuchia;", "tăng cường trao đổi thông tin.")


def test_the_points_agreed_are_bullets_under_the_agreement_and_one_point_asked_about_stands_alone():
    citation = [Citation("d", 8, AGREED, "T", "vi")]
    whole = full_text(Answer("Hai bên nhất trí gì?", "vi", True, "agreed", [Quote(AGREED, 1, "vi", POINTS)], citation))
    assert whole.count("\n• ") == 3
    one = full_text(Answer("Họ nhất trí gì về sinh viên?", "vi", True, "agreed",
                           [Quote(AGREED, 1, "vi", POINTS[2:])], citation))
    assert one.startswith("“…tiếp nhận thêm sinh viên Campuchia…” [1]") and "•" not in one


def test_a_quote_after_bullets_starts_a_paragraph_of_its_own():
    citation = [Citation("d", 8, AGREED, "T", "vi")]
    quotes = [Quote(AGREED, 1, "vi", POINTS), Quote("Hai bên sẽ ký kết biên bản.", 1, "vi")]
    text = full_text(Answer("Hai bên nhất trí gì?", "vi", True, "agreed", quotes, citation))
    assert "• tăng cường trao đổi thông tin.\n\n“Hai bên sẽ ký kết biên bản.” [1]" in text


def test_a_meeting_in_the_capital_city_is_placed_in_the_city_of_the_headline():
    sentence = "Chairman Tran Sy Thanh met Governor Khuong Sreng, who is on a visit to the capital city from September 4-6."
    citations = [Citation("d0", 4, sentence, "Hanoi pushes for closer ties with Phnom Penh", "en"),
                 Citation("d1", 8, "Bí thư Đinh Tiến Dũng hội đàm với Đô trưởng Khuong Sreng.", "T", "vi")]
    answer = Answer("Who met whom?", "en", True, "who_met",
                    [Quote(sentence, 1, "en"), Quote(citations[1].text, 2, "vi")], citations)
    assert "• Tran Sy Thanh – Khuong Sreng, Hanoi, 4–6 September [1]" in full_text(answer)
