"""The console's replies: the same as Telegram's, with /more and /N where Telegram has buttons."""
import io
import json

from bot import console
from bot.console import handle_line
from bot.engine.conversation import Conversation


def test_more_shows_the_cited_paragraphs_and_a_number_one_of_them(engine):
    conv = Conversation()
    assert "ask a question first" in handle_line(engine, conv, "/more", False)
    reply = handle_line(engine, conv, "Who met whom?", False)
    count = reply.split("Sources:")[1].count("\n[")
    assert count >= 2
    more = handle_line(engine, conv, "/more", False)
    assert more.count("¶") == count and "nhất trí sẽ cùng tìm ra" in more
    second = handle_line(engine, conv, "/2", False)
    assert second.startswith("[2] ") and second in more
    assert f"/1 to /{count}" in handle_line(engine, conv, f"/{count + 1}", False)


def test_new_forgets_the_paragraphs_and_unknown_commands_are_named(engine):
    conv = Conversation()
    handle_line(engine, conv, "When did Khuong Sreng visit Hanoi?", False)
    assert handle_line(engine, conv, "/1", False).startswith("[1] Hanoi pushes for closer ties")
    assert "Starting afresh" in handle_line(engine, conv, "/new", False)
    assert "ask a question first" in handle_line(engine, conv, "/1", False)
    assert handle_line(engine, conv, "/xqsync7", False) == \
        "I do not know the command /xqsync7. Send /help to see what I can do."


def test_json_lines_carry_the_short_line(engine):
    out = json.loads(handle_line(engine, Conversation(), "Chủ tịch Trần Sỹ Thanh hội đàm với Khuong Sreng vào ngày nào?", True))
    assert out["short"] == "ngày 4–6/9 (2022)" and out["answer"].startswith("ngày 4–6/9 (2022)\nBằng tiếng Anh: “")


def test_a_follow_up_without_an_earlier_question_asks_for_a_full_one(engine):
    """Issue #20: "and when?" after /new got "the articles do not say"."""
    conv = Conversation()
    assert handle_line(engine, conv, "and when?", False).startswith("I have no earlier question to follow up on.")
    handle_line(engine, conv, "Who did Khuong Sreng meet in Hanoi?", False)
    assert "September 4-6" in handle_line(engine, conv, "and when?", False)
    handle_line(engine, conv, "/new", False)
    assert "câu hỏi đầy đủ" in handle_line(engine, conv, "còn khi nào?", False)


def test_the_console_compiles_what_a_first_question_needs_before_it_reads_one(engine, monkeypatch):
    """A first when-question no longer compiles the date patterns (5-23 ms) while its asker waits."""
    from bot.engine.short import dates
    from bot.engine.smalltalk import _leading

    dates._patterns.cache_clear()
    _leading.cache_clear()
    monkeypatch.setattr(console.sys, "stdin", io.StringIO(""))  # no question at all
    assert console.run(engine, json_lines=True) == 0
    assert dates._patterns.cache_info().currsize == _leading.cache_info().currsize == 1
