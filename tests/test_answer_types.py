"""Question types and the evidence a sentence holds, on real questions and sentences."""
import numpy as np
import pytest

from bot.engine import Engine
from bot.engine.picker.evidence import facts, new_names
from bot.engine.picker.features import INDEX, _type_features
from bot.engine.questions import parse
from bot.render import answer_text
from index.tokenize import fold

from .conftest import EN_DOC


@pytest.mark.parametrize("question, kind", [
    ("How old was Luther when he died?", "quantity"),
    ("Who was the leader of the party when the war began?", "who"),
    ("When did Khuong Sreng visit Hanoi?", "when"),
    ("In what year did the Normans conquer England?", "when"),
    ("Ông ấy bao nhiêu tuổi khi qua đời?", "quantity"),
])
def test_the_question_word_decides_the_type_not_a_later_clause(question, kind):
    assert parse(question).kind == kind


@pytest.mark.parametrize("sentence", [
    "The Normans conquered England in 1066.",
    "The abbey was built in 987 AD.",
    "Printing spread across Europe in the 15th century.",
    "The treaty was signed in March.",
    "The two leaders met again the same day.",
    "Trước đó, cùng ngày, đoàn đã đến thăm Quốc hội.",
    "Công trình được xây dựng vào thế kỷ XV.",
    "Hai bên ký biên bản ngày 5/9.",
])
def test_any_year_century_month_or_relative_date_is_a_date(sentence):
    assert facts(sentence).date


@pytest.mark.parametrize("sentence", ["He will march on the capital.", "The committee met to discuss the budget."])
def test_words_that_only_look_like_dates_are_not(sentence):
    assert not facts(sentence).date


def test_one_word_names_count():
    found = facts("The ball was intercepted by Manning, then by Venom.")
    assert {"Manning", "Venom"} <= set(new_names(found, frozenset(), frozenset()))
    # A lone capital where a sentence opens is a name only when the articles write it so.
    opening = facts("Iran signed the deal.")
    assert new_names(opening, frozenset(), frozenset()) == ()
    assert new_names(opening, frozenset(), frozenset({"iran"})) == ("Iran",)


def test_names_the_question_gives_are_not_new():
    found = facts("Governor Khuong Sreng welcomed Secretary Dinh Tien Dung.")
    asked = frozenset({"khuong", "sreng"})
    assert "Khuong Sreng" not in new_names(found, asked, frozenset())
    assert found.persons == ("Governor Khuong Sreng", "Secretary Dinh Tien Dung") or "Dinh Tien Dung" in " ".join(found.persons)


def test_a_headline_alone_is_not_the_answer_when_the_body_says_more(engine):
    answer = engine.answer("What was agreed at the talks in Phnom Penh?")
    assert answer.answered
    assert all(c.paragraph != 0 for c in answer.citations)


def test_when_answer_holds_a_date(engine):
    answer = engine.answer("When did Khuong Sreng visit Hanoi?")
    assert answer.answered and "September 4-6" in answer.quotes[0].text
    assert (answer.citations[0].doc, answer.citations[0].paragraph) == (EN_DOC, 4)


def test_a_where_question_looks_for_a_place_the_question_does_not_give():
    def fits(sentence, asked=frozenset()):
        row = np.zeros(len(INDEX))
        _type_features(row, "where", facts(sentence), asked, frozenset())
        return row[INDEX["type_name"]] == 1 and row[INDEX["type_missing"]] == 0

    assert fits("The talks were held in Phnom Penh on Monday.")
    assert not fits("The talks were held in Phnom Penh on Monday.", frozenset({"phnom", "penh"}))
    assert not fits("Governor Khuong Sreng praised the talks.")  # a person is not a place
    assert facts("Đoàn đã hội đàm tại Phnom Penh.").places == ("Phnom Penh",)


def test_who_met_a_named_person_wants_that_persons_meeting():
    question = parse("Who held talks with Khuong Sreng?")
    asked = frozenset(fold(w) for w in question.words)
    theirs = facts("Chairman Tran Sy Thanh held talks with Phnom Penh Governor Khuong Sreng.")
    aside = facts("Ambassador Nguyen Huy Tang also attended the talks in Phnom Penh.")

    def meeting(sentence, party):
        row = np.zeros(len(INDEX))
        _type_features(row, question.kind, sentence, asked, frozenset(), party)
        return row[INDEX["type_meeting"]]

    assert question.kind == "who_met"
    assert meeting(theirs, party=True) == 1 and meeting(aside, party=True) == 0
    assert meeting(aside, party=False) == 1  # when the articles name no such person, any meeting will do


SAME_DAY = """---
title: Thủ tướng thăm Đà Nẵng
language: vi
---
Thủ tướng thăm Đà Nẵng
Ngày 12/3/2024, Thủ tướng Phạm Minh Chính làm việc với lãnh đạo thành phố Đà Nẵng về quy hoạch cảng biển.
Trước đó, cùng ngày, Thủ tướng Phạm Minh Chính đã thị sát dự án cầu Thuận Phước.
"""


@pytest.mark.parametrize("question, day", [
    ("Thủ tướng thị sát dự án cầu Thuận Phước khi nào?", "ngày 12/3/2024"),
    ("When did the Prime Minister inspect the Thuan Phuoc bridge project?", "12 March 2024"),
])
def test_the_same_day_is_answered_with_the_day_the_article_gave_before(tmp_path, question, day):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "visit.txt").write_text(SAME_DAY, "utf-8")
    answer = Engine.from_folder(tmp_path / "docs", tmp_path / "index").answer(question)
    assert "cùng ngày" in answer.quotes[0].text
    assert answer_text(answer).startswith(day)


@pytest.mark.parametrize("question, concepts", [
    ("Where did the talks take place?", ["talks"]),
    ("When was the election held?", ["election"]),
    ("Cuộc hội đàm diễn ra ở đâu?", ["hội đàm"]),
    ("What happened in 1979?", ["1979"]),
    ("Năm 1979 đã xảy ra chuyện gì?", ["năm", "1979", "chuyện"]),
])
def test_the_verb_that_frames_a_where_when_or_what_question_is_not_its_topic(question, concepts):
    assert [c.label for c in parse(question).concepts] == concepts


@pytest.mark.parametrize("question", ["Where did the talks take place?", "Cuộc hội đàm diễn ra ở đâu?"])
def test_where_the_talks_took_place_is_answered_with_the_city(engine, question):
    answer = engine.answer(question)
    assert answer.answered and "Phnom Penh" in answer.quotes[0].text
