"""The menu's commands, the menu and descriptions themselves, and unknown commands."""
from telegram import Update

from .offline import OfflineRequest, message, offline_app, send


async def test_start_greets_in_the_users_language(app):
    [vi] = await send(app, text="/start", language_code="vi", chat_id=80)
    [en] = await send(app, text="/start", language_code="en-GB", chat_id=81)
    assert vi["text"].startswith("Xin chào Ann") and en["text"].startswith("Hello Ann")


async def test_lang_sets_the_answer_language(app):
    [ack] = await send(app, text="/lang vi", chat_id=82)
    assert "tiếng Việt" in ack["text"]
    [reply] = await send(app, text="When did Khuong Sreng visit Hanoi?", chat_id=82)
    assert "Nguồn:" in reply["text"] and "September 4-6" in reply["text"]
    [usage] = await send(app, text="/lang fr", chat_id=82)
    assert "/lang vi" in usage["text"]


async def test_help_and_sources(app):
    [help_reply] = await send(app, text="/help", chat_id=83)
    assert "/sources" in help_reply["text"] and "Hai bên" in help_reply["text"]
    [sources] = await send(app, text="/sources", chat_id=83)
    assert "27 paragraphs" in sources["text"] and "11 paragraphs" in sources["text"]


async def test_unknown_command_in_private_is_explained(app):
    [reply] = await send(app, text="/frobnicate", chat_id=84)
    assert "/frobnicate" in reply["text"] and "/help" in reply["text"]
    assert await send(app, text="/frobnicate", chat_id=-1005, chat_type="group") == []


async def test_command_menu_in_both_languages(app):
    await app.post_init(app)
    menus = [params for name, params in app.test_request.calls if name == "setMyCommands"]
    assert len(menus) == 2
    assert {m.get("language_code") for m in menus} == {None, "vi"}
    assert all({c["command"] for c in m["commands"]} >= {"ask", "help", "sources", "lang", "new"} for m in menus)


async def test_lang_in_a_group_is_for_its_administrators(engine):
    request = OfflineRequest(admins=frozenset({7}))
    async with offline_app(engine, request) as application:
        async def say(text, user_id):
            await application.process_update(Update.de_json(
                message(text=text, chat_id=-1021, chat_type="group", user_id=user_id), application.bot))
            return request.sent()[-1]["text"]

        assert "only its administrators" in await say("/lang vi", user_id=8)
        assert "Sources:" in await say("/ask When did Khuong Sreng visit Hanoi?", user_id=8)
        assert "tiếng Việt" in await say("/lang vi", user_id=7)
        assert "Nguồn:" in await say("/ask When did Khuong Sreng visit Hanoi?", user_id=8)


async def test_descriptions_in_both_languages(app):
    await app.post_init(app)
    for method, limit in (("setMyDescription", 512), ("setMyShortDescription", 120)):
        calls = app.test_request.called(method)
        assert {c.get("language_code") for c in calls} == {None, "vi"}
        texts = [c.get("description") or c.get("short_description") for c in calls]
        assert all(0 < len(t) <= limit for t in texts) and texts[0] != texts[1]


async def test_unknown_command_is_read_from_its_entity(app):
    update = message(text="/frob@CiteBot.", chat_id=93)
    update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len("/frob@CiteBot")}]
    await app.process_update(Update.de_json(update, app.bot))
    [reply] = app.test_request.sent()
    assert "/frob" in reply["text"]
