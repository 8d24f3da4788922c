"""A misspelt name is read as the articles write it, and the reply says so."""
from bot.render import answer_text, to_json

from .conftest import EN_DOC


def test_a_name_with_two_letters_swapped_is_read_as_the_articles_write_it(engine):
    answer = engine.answer("When did Khoung Sreng visit Hanoi?")
    assert answer.read_as == ("Khuong Sreng",)
    assert answer.answered and (answer.citations[0].doc, answer.citations[0].paragraph) == (EN_DOC, 4)
    assert answer_text(answer).startswith("Read as: Khuong Sreng.")
    assert to_json(answer)["read_as"] == ["Khuong Sreng"]


def test_a_name_with_one_wrong_letter_is_mended(engine):
    answer = engine.answer("Tran Si Thanh nói gì về Phnom Penh?")
    assert answer.read_as == ("Tran Sy Thanh",)
    assert answer_text(answer).startswith("Tôi hiểu tên là: Tran Sy Thanh.")


def test_swapped_names_need_no_mending(engine):
    answer = engine.answer("When did Sreng Khuong visit Hanoi?")
    assert answer.read_as == ()
    assert answer.answered and "September 4-6" in answer.quotes[0].text


def test_ordinary_words_are_never_mended(engine):
    assert engine.answer("What did the mayor propose?").read_as == ()
    assert engine.answer("Who is the president of France?").read_as == ()


def test_a_word_made_from_a_name_is_not_a_slip(engine):
    # "Cambodian" is one letter from "Cambodia", a name the articles use, but a word of its own.
    answer = engine.answer("Which Cambodian leaders did the Hanoi Party Secretary pay courtesy calls on?")
    assert answer.read_as == ()
    assert answer.answered and "Hun Sen" in answer.quotes[0].text


def test_a_lower_case_word_beside_a_capitalised_name_is_a_word(engine):
    # "pay" is one edit from "May", a name the articles use; the asker writes names with capitals.
    assert engine.answer("When did Dinh Tien Dung pay a courtesy call on Hun Sen?").read_as == ()
    assert engine.answer("when did khoung sreng visit hanoi").read_as == ("Khuong Sreng",)


def test_a_word_of_the_dictionary_or_glossary_is_not_a_slip(engine):
    # "Cambodians" is two letters from "Cambodia", but a word of its own.
    answer = engine.answer("Why do Cambodians remember the Vietnamese volunteer army?")
    assert answer.read_as == ()
    assert not answer_text(answer).startswith("Read as")


def test_a_slip_beside_a_name_is_read_as_a_word_the_articles_write_beside_it(engine):
    # "Sren" is one edit from "Sreng" and from Hun Sen's "Sen"; beside "Khoung" it is Khuong Sreng.
    answer = engine.answer("When did Khoung Sren visit Hanoi?")
    assert answer.read_as == ("Khuong Sreng",)
    assert "September 4-6" in answer.quotes[0].text and "Hun Sen" not in answer_text(answer)
    # Alone, it may be either: it is not mended into someone's name.
    assert engine.answer("What did Sren say?").read_as == ()
    assert engine.answer("What did Heng Samrim say?").read_as == ("Heng Samrin",)


def test_a_name_typed_without_diacritics_is_read_as_the_name_not_as_dictionary_words(engine):
    """"dinh tien dung" is Đinh Tiến Dũng, not "tiện dụng" (convenient): answered as when typed with them."""
    accented = engine.answer("Đinh Tiến Dũng gặp ai ở Phnom Penh?")
    plain = engine.answer("dinh tien dung gap ai o phnom penh")
    assert accented.answered and plain.answered
    assert plain.quotes[0].text == accented.quotes[0].text
