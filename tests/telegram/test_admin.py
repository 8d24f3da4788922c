"""/reload: only for the configured admins, and what it re-indexes is answered from at once."""
import os
import time

from telegram import Update

from bot.engine import Engine

from .offline import TOKEN, OfflineRequest, build_application, message, settings


async def test_reload_is_for_admins_only(docs_copy, tmp_path):
    request = OfflineRequest()
    application = build_application(Engine.from_folder(docs_copy, tmp_path / "ix"), TOKEN, request=request,
                                    rate_limit=False,
                                    settings=settings(admin_ids=frozenset({1}), docs_dir=docs_copy,
                                                      index_dir=tmp_path / "ix"))
    await application.initialize()
    (docs_copy / "002_vientiane.txt").write_text(
        "Hanoi and Vientiane sign a memorandum on cooperation\n\n"
        "Hanoi and Vientiane signed a memorandum of understanding on October 14, 2025 in Vientiane.\n", "utf-8")
    # Written a minute ago: a file changed within the last second may still be being written, and waits.
    os.utime(docs_copy / "002_vientiane.txt", (time.time() - 60,) * 2)

    async def say(text, user_id):
        await application.process_update(Update.de_json(message(text=text, user_id=user_id, chat_id=user_id),
                                                        application.bot))
        return request.sent()[-1]["text"]

    assert "administrators" in await say("/reload", user_id=2)
    assert "do not say" in await say("When did Hanoi and Vientiane sign the memorandum?", user_id=2)
    assert "Re-indexed 3 articles" in await say("/reload", user_id=1)
    assert "October 14, 2025" in await say("When did Hanoi and Vientiane sign the memorandum?", user_id=2)
    await application.shutdown()
