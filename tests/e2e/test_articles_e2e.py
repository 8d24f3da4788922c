"""End to end: admins add articles by file and by link and remove one with /remove, through the real
`python -m bot telegram` process and the Bot API emulator (which serves the files users send); others
are refused."""
from __future__ import annotations

import pytest

from tests.article_files import EN_ARTICLE, VI_ARTICLE, serve, story, web_page, word_file
from tests.e2e.test_telegram_e2e import (BOT_USERNAME, REPLY_TIMEOUT, BotProcess, TelegramEmulator,
                                         bot_environment, new_user, one_reply, wait_polling)

pytestmark = pytest.mark.e2e
EN_TITLE = "Hanoi pushes for closer ties with Phnom Penh: Mayor"


def test_an_admin_adds_a_file_and_a_link_and_removes_one_others_are_refused(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    release = word_file(story(EN_ARTICLE), tmp_path / "release.docx").read_bytes()
    admin, other = new_user(), new_user()
    with TelegramEmulator(bot_username=BOT_USERNAME) as emu, \
            serve({"/ha-noi.html": (200, "text/html", web_page(story(VI_ARTICLE)).encode())}) as site:
        env = bot_environment(emu, tmp_path, BOT_DOCS_DIR=str(docs), BOT_ADMIN_IDS=str(admin["id"]))
        bot = BotProcess(env, tmp_path)
        try:
            bot.start()
            wait_polling(emu, bot)
            for send in (lambda: emu.send_private_message(f"{site}/ha-noi.html", user=other),
                         lambda: emu.send_document("release.docx", release, user=other)):
                reply = one_reply(emu, send(), user=other)
                assert reply["plain_text"].startswith("Sorry, only the bot's administrators can add articles.")
            assert list(docs.iterdir()) == []

            added = one_reply(emu, emu.send_document("release.docx", release, user=admin), user=admin)
            assert added["plain_text"].startswith(f"Added: {EN_TITLE}\nEnglish, 5 September 2022, 23 paragraphs")
            answer = one_reply(emu, emu.send_private_message("When did Khuong Sreng visit Hanoi?", user=other),
                               user=other)
            assert "September 4-6" in answer["plain_text"] and f"{EN_TITLE} (5 September 2022)" in answer["plain_text"]

            added = one_reply(emu, emu.send_private_message(f"{site}/ha-noi.html", user=admin), user=admin)
            assert added["plain_text"].startswith("Added: Hà Nội - Phnom Penh nhất trí")
            answer = one_reply(emu, emu.send_private_message("Đại sứ Việt Nam tại Campuchia là ai?", user=other),
                               user=other)
            assert "Nguyễn Huy Tăng" in answer["plain_text"]

            listing = one_reply(emu, emu.send_command("remove", user=admin), user=admin)
            emu.press_button(listing, EN_TITLE, user=admin)
            [confirm] = emu.wait_for_call("editMessageText", timeout=REPLY_TIMEOUT)
            assert confirm["params"]["text"].startswith("Remove <i>")
            yes = confirm["params"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
            emu.send_callback_query(yes, listing, user=admin)
            emu.wait_for_call("editMessageText", timeout=REPLY_TIMEOUT,
                              predicate=lambda call: call["params"]["text"].startswith("Removed"))
            assert [p.name for p in docs.iterdir()] == ["ha-noi-phnom-penh-nhat-tri-dinh-huong-hop-tac-song-phuong-moi-hieu-qua.md"]
        finally:
            assert bot.stop() == 0, bot.output()
