import unicodedata

import pytest

from bot.engine.pipeline import search_query
from bot.engine.questions import parse
from index.tokenize import analyze, fix_tone, fold, normalize, words


def test_nfd_input_equals_nfc():
    nfc = "Hà Nội hội đàm với Đô trưởng"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    assert analyze(nfd, "vi") == analyze(nfc, "vi")


def test_tone_mark_placement_is_normalised():
    assert normalize("hoà bình") == normalize("hòa bình")
    assert normalize("Thuỷ") == normalize("thủy")
    assert normalize("khoẻ") == normalize("khỏe")
    # closed syllables and marked vowels keep their place
    assert fix_tone("hoàng") == "hoàng"
    assert fix_tone("người") == "người"
    assert fix_tone("quốc") == "quốc"


def test_folding_removes_diacritics_and_d_stroke():
    assert fold("Hà Nội") == "Ha Noi"
    assert fold("Đinh Tiến Dũng") == "Dinh Tien Dung"
    assert "ha_noi" in analyze("Thủ đô Hà Nội", "vi").folded


def test_exact_field_keeps_accents_only():
    tokens = analyze("Thủ đô Hà Nội and Hanoi", "vi")
    assert "hà_nội" in tokens.exact
    assert "hanoi" not in tokens.exact
    assert "hanoi" in tokens.folded


def test_vietnamese_pairs_do_not_cross_punctuation():
    folded = analyze("Hà Nội, Phnom Penh", "vi").folded
    assert "ha_noi" in folded and "phnom_penh" in folded
    assert "noi_phnom" not in folded


def test_english_possessives_and_stems():
    folded = analyze("Hanoi’s mayor was celebrating", "en").folded
    assert "hanoi" in folded
    assert "hanoi’s" not in folded and "s" not in folded
    assert analyze("celebrate", "en").folded == analyze("celebrating", "en").folded


def test_numbers_ranges_and_percentages():
    folded = analyze("GRDP growth of 7.79% from September 4-6 (24/6/1967)", "en").folded
    assert "7.79" in folded and "percent" in folded
    assert {"4-6", "4", "6"} <= set(folded)
    assert {"24/6/1967", "1967"} <= set(folded)


def test_question_words_are_kept():
    assert {"ai", "khi", "nào", "bao", "nhiêu"} <= set(words("ai khi nào bao nhiêu"))
    assert {"who", "when"} <= set(words("who when"))


@pytest.mark.parametrize("question", ["Hà Nội tăng trưởng bao nhiêu phần trăm?", "ha noi tang truong bao nhieu phan tram"])
def test_a_percentage_is_found_by_the_words_for_percent(question):
    """"7,79%" and "7.79%" are read with the word "percent", which the glossary gives for "phần trăm"."""
    asked = set(search_query(parse(question), question).folded)
    for sentence, language in [("GRDP growth of 7.79%", "en"), ("GRDP tăng 7,79%", "vi")]:
        assert "percent" in asked & set(analyze(sentence, language).folded)
