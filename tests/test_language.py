import pytest

from index.language import detect


@pytest.mark.parametrize("text, language", [
    ("Ai đã hội đàm với Đô trưởng Phnom Penh?", "vi"),
    ("ai hoi dam voi khuong sreng o phnom penh", "vi"),
    ("ha noi huong toi muc tieu tro thanh thanh pho nhu the nao", "vi"),
    ("còn khi nào?", "vi"),
    # "đâu" (where) and "phải" typed plain outvote an English word among the names ("festival", "be" of "bế mạc")
    ("festival tra thai nguyen be mac o dau?", "vi"),
    ("festival be mac phai khong", "vi"),
    ("When did Khuong Sreng visit Hanoi?", "en"),
    ("Who did Đinh Tiến Dũng meet in Phnom Penh?", "en"),
    ("and when?", "en"),
])
def test_detects_question_language(text, language):
    assert detect(text) == language


def test_articles_language_is_detected_without_header(tmp_path):
    from index.articles import read_article

    path = tmp_path / "plain.txt"
    path.write_text("Hà Nội và Viêng Chăn ký kết hợp tác\n\nHai bên đã nhất trí tăng cường hợp tác.\n", "utf-8")
    article = read_article(path)
    assert article.language == "vi"
    assert article.title == ""
