from index.chunk import clauses, sentences


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
