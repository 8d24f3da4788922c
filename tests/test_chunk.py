from index.chunk import clauses, number_blocks, parts, sentences
from index.clean import Block


def test_sentences_do_not_break_on_abbreviations_or_decimals():
    text = ("Thanh referred to Politburo’s decision No.15 on May 5, 2022, on the vision. "
            "Hanoi is on track with a GRDP growth of 7.79% during the first six months of 2022, the mayor added.")
    assert sentences(text) == [
        "Thanh referred to Politburo’s decision No.15 on May 5, 2022, on the vision.",
        "Hanoi is on track with a GRDP growth of 7.79% during the first six months of 2022, the mayor added.",
    ]


def test_sentences_keep_closing_quotes():
    text = "“On this basis, the city is working,” Thanh said. He added more."
    assert sentences(text) == ["“On this basis, the city is working,” Thanh said.", "He added more."]


def test_vietnamese_sentences():
    text = "Tin quốc tế ngày 06/10: Trung Quốc ứng phó. Ông A nói thêm."
    assert sentences(text) == ["Tin quốc tế ngày 06/10: Trung Quốc ứng phó.", "Ông A nói thêm."]


def test_clauses_split_lists_at_semicolons():
    assert clauses("nhất trí: a; b; c") == ["nhất trí: a;", "b;", "c"]
    assert clauses("no list here") == ["no list here"]


def test_a_lists_lines_are_one_paragraph_with_the_line_introducing_them():
    """"The two sides agreed to:" and its items, a line each, are read as one paragraph, each item a part."""
    blocks = [Block("body", "Hai said the talks went well."), Block("body", "The two sides agreed to:"),
              Block("body", "- set up a working group;"), Block("body", "- speed up visa talks;"),
              Block("body", "1. hold the next meeting in Hanoi."), Block("body", "After the talks, they signed a memorandum."),
              Block("body", "- a dash after a full stop starts no list item.")]
    paragraphs = number_blocks("a", "T", "en", blocks)
    assert [p.text for p in paragraphs] == [
        "Hai said the talks went well.",
        "The two sides agreed to:\n- set up a working group;\n- speed up visa talks;\n1. hold the next meeting in Hanoi.",
        "After the talks, they signed a memorandum.", "- a dash after a full stop starts no list item."]
    assert [part for part, _, _ in parts(paragraphs[1].text)] == [
        "The two sides agreed to:", "- set up a working group;", "- speed up visa talks;",
        "1. hold the next meeting in Hanoi."]
