""""The same day", "cùng ngày", "today", "yesterday" in a quote are dated from the article's own date
when the article gives no earlier day: the short line says which day, and that it was counted."""
import datetime

import pytest

from bot.engine import Engine
from bot.engine.short.dates import days_back_to_weekday
from bot.render import full_text

from .conftest import engine_of

VISIT_EN = """---
title: Hue and Kyoto sign a heritage agreement
language: en
date: 2024-03-14
---
Hue and Kyoto sign a heritage agreement

The mayor of Kyoto arrived in Hue for a three-day visit.

The same day, the two cities signed an agreement on preserving royal heritage sites.

Yesterday, the Kyoto delegation toured the Imperial City of Hue.

On Monday, the two mayors opened an exhibition of lacquerware from both cities.
"""

VISIT_VI = """---
title: Đà Nẵng đón đoàn Busan
language: vi
date: 2024-05-20
---
Đà Nẵng đón đoàn Busan

Đoàn đại biểu thành phố Busan đã đến Đà Nẵng để thăm và làm việc.

Cùng ngày, hai thành phố ký kết thỏa thuận hợp tác về cảng biển.

Chiều thứ Bảy, đoàn Busan đã thăm cảng Tiên Sa, cảng biển lớn thứ hai miền Trung.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return engine_of(tmp_path_factory, {"visit": VISIT_EN, "tham": VISIT_VI})


@pytest.mark.parametrize("question, said, day", [
    ("When did Hue and Kyoto sign the heritage agreement?", "The same day", (2024, 3, 14)),
    ("When did the Kyoto delegation tour the Imperial City?", "Yesterday", (2024, 3, 13)),
    ("Khi nào Đà Nẵng và Busan ký kết về cảng biển?", "Cùng ngày", (2024, 5, 20)),
    # A day of the week is the last one up to the article's day (a Thursday, a Monday)
    ("When did the two mayors open the lacquerware exhibition?", "On Monday", (2024, 3, 11)),
    ("Đoàn Busan thăm cảng Tiên Sa khi nào?", "Chiều thứ Bảy", (2024, 5, 18)),
])
def test_a_relative_day_is_counted_from_the_article_date(engine, question, said, day):
    answer = engine.answer(question)
    assert answer.quotes[0].text.startswith(said)
    assert (answer.short.year, answer.short.month, answer.short.day) == day and answer.short.from_article_date


def test_without_an_article_date_there_is_no_day_to_count_from(tmp_path):
    """Nor is the other article's "Cùng ngày" (Da Nang and Busan signing) a date for Hue and Kyoto."""
    (tmp_path / "visit.txt").write_text(VISIT_EN.replace("date: 2024-03-14\n", ""), "utf-8")
    (tmp_path / "tham.txt").write_text(VISIT_VI, "utf-8")
    answer = Engine.from_folder(tmp_path, tmp_path / "index").answer("When did Hue and Kyoto sign the heritage agreement?")
    assert (answer.answered, answer.kind, answer.citations) == (False, "no_date", [])
    assert full_text(answer).startswith("The articles give no date for this")


@pytest.mark.parametrize("text", ["The delegation will visit Hue next Tuesday.", "Đoàn sẽ thăm Huế vào thứ Ba tới.",
                                  "Tiên Sa là cảng lớn thứ hai miền Trung."])
def test_a_day_ahead_or_an_ordinal_is_no_day_of_the_week_past(text):
    assert days_back_to_weekday(text, datetime.date(2024, 5, 20)) is None
