"""End to end: admins add an article by link and remove one with /remove, through the real
`python -m bot telegram` process and the Bot API emulator; others are refused.

The emulator serves no file downloads, so sending a document is tested through the real PTB
application offline (tests/telegram/test_articles.py).
"""
from __future__ import annotations

import shutil

import pytest

from tests.article_files import EN_ARTICLE, VI_ARTICLE, serve, story, web_page
from tests.e2e.test_telegram_e2e import (BOT_USERNAME, REPLY_TIMEOUT, BotProcess, TelegramEmulator,
                                         bot_environment, new_user, one_reply, wait_polling)

pytestmark = pytest.mark.e2e
EN_TITLE = "Hanoi pushes for closer ties with Phnom Penh: Mayor"
QUESTION = "When did Khuong Sreng visit Hanoi?"


def test_an_admin_adds_a_link_and_removes_it_others_are_refused(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy2(VI_ARTICLE, docs)
    admin, other = new_user(), new_user()
    with TelegramEmulator(bot_username=BOT_USERNAME) as emu, \
            serve({"/hanoi.html": (200, "text/html", web_page(story(EN_ARTICLE)).encode())}) as site:
        env = bot_environment(emu, tmp_path, BOT_DOCS_DIR=str(docs), BOT_ADMIN_IDS=str(admin["id"]))
        bot = BotProcess(env, tmp_path)
        try:
            bot.start()
            wait_polling(emu, bot)
            refused = one_reply(emu, emu.send_private_message(f"{site}/hanoi.html", user=other), user=other)
            assert refused["plain_text"].startswith("Sorry, only the bot's administrators can add articles.")
            assert [p.name for p in docs.iterdir()] == [VI_ARTICLE.name]

            added = one_reply(emu, emu.send_private_message(f"{site}/hanoi.html", user=admin), user=admin)
            assert added["plain_text"].startswith(f"Added: {EN_TITLE}\nEnglish, 5 September 2022")
            answer = one_reply(emu, emu.send_private_message(QUESTION, user=other), user=other)
            assert "September 4-6" in answer["plain_text"] and f"{EN_TITLE} (5 September 2022)" in answer["plain_text"]

            listing = one_reply(emu, emu.send_command("remove", user=admin), user=admin)
            emu.press_button(listing, EN_TITLE, user=admin)
            [confirm] = emu.wait_for_call("editMessageText", timeout=REPLY_TIMEOUT)
            assert confirm["params"]["text"].startswith("Remove <i>")
            yes = confirm["params"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            emu.send_callback_query(yes, listing, user=admin)
            emu.wait_for_call("editMessageText", timeout=REPLY_TIMEOUT,
                              predicate=lambda call: call["params"]["text"].startswith("Removed"))
            assert [p.name for p in docs.iterdir()] == [VI_ARTICLE.name]
        finally:
            assert bot.stop() == 0, bot.output()
