"""Name mending as a reader meets it: common words of either language beside a name stay words."""
import pytest


@pytest.mark.parametrize("question", [
    "Khuong Sreng tang qua gi?",  # "tang" (tặng, gives) is one letter from Nguyễn Huy Tăng's "Tang"
    "ong tran sy thanh noi gi ve khuong sreng",  # "ong", "noi", "ve" are Vietnamese words, not slips
    "did hun sen hang out with heng samrin",  # "hang" is one letter from "Heng"
    "did hun sen sent a delegation",  # "sent" is one letter from "Sen"
    "Did Say Chhum say anything?",
])
def test_a_common_word_beside_a_name_is_never_mended(engine, question):
    assert engine.answer(question).read_as == ()


def test_a_slip_is_mended_into_the_name_it_stands_in_not_a_syllable_of_another(engine):
    """"Seng" is one letter from "Sreng" and from "Sen": beside "Khuong" it is Khuong Sreng."""
    assert engine.answer("Who is Khuong Seng?").read_as == ("Khuong Sreng",)
    assert engine.answer("When did Khoung Sren visit Hanoi?").read_as == ("Khuong Sreng",)
