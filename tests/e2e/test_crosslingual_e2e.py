"""End to end across languages: `python -m bot telegram`, its sentence encoder asked for, answers a
question from the only article there is, written in the other language."""
from __future__ import annotations

import shutil

import pytest

from tests.conftest import DOCS, EN_DOC, VI_DOC
from tests.e2e.test_telegram_e2e import (  # noqa: F401 - fresh_emu is a fixture
    BotProcess,
    assert_html_reply,
    bot_environment,
    fresh_emu,
    new_user,
    one_reply,
    wait_polling,
)

pytestmark = pytest.mark.e2e


def test_each_language_is_answered_from_the_article_in_the_other(fresh_emu, tmp_path):  # noqa: F811
    asked = {EN_DOC: ("Khuong Sreng thăm Hà Nội vào những ngày nào?", "September 4-6", "Nguồn:"),
             VI_DOC: ("Who did Dinh Tien Dung pay a courtesy call on in Cambodia?", "Hun Sen", "Sources:")}
    for doc, (question, fact, sources) in asked.items():
        docs = tmp_path / doc / "docs"
        docs.mkdir(parents=True)
        shutil.copy2(DOCS / f"{doc}.txt", docs)
        process = BotProcess(bot_environment(fresh_emu, tmp_path / doc, BOT_ENCODER="on"), tmp_path / doc, ["--docs", str(docs)])
        try:
            process.start()
            wait_polling(fresh_emu, process, after_count=fresh_emu.state()["polling"]["count"])
            user = new_user()
            reply = one_reply(fresh_emu, fresh_emu.send_private_message(question, user=user), user=user)
        finally:
            code = process.stop()
        assert code == 0, process.output()
        assert "encoder: not used" not in process.output()
        assert_html_reply(reply)
        assert fact in reply["plain_text"] and sources in reply["plain_text"]
