"""The Telegram adapter through a real PTB Application, offline: updates go in through
`process_update`, and every Bot API call lands in a recording request object."""
import asyncio
import contextlib
import json
import re

import pytest
from telegram import Update
from telegram.request import BaseRequest

from bot.engine import Engine
from bot.telegram.ratelimit import UserRateLimit
from bot.telegram.split import split_message
from bot.telegram.app import TelegramSettings, build_application

TOKEN = "123456789:offline-test-token-abcdefghij"
BOT_ID, BOT_USERNAME = 123456789, "CiteBot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Cite", "username": BOT_USERNAME}
ALLOWED_TAGS = {"b", "i", "blockquote"}


class OfflineRequest(BaseRequest):
    """Answers the Bot API like Telegram would, and records every call."""

    def __init__(self, fail: dict | None = None, admins: frozenset[int] = frozenset()):
        self.calls: list[tuple[str, dict]] = []
        self.next_id = 5000
        self.fail = fail or {}
        self.admins = admins

    @property
    def read_timeout(self):
        return 1.0

    async def initialize(self):
        pass

    async def shutdown(self):
        pass

    async def do_request(self, url, method, request_data=None, read_timeout=None, write_timeout=None,
                         connect_timeout=None, pool_timeout=None):
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append((name, params))
        if name in self.fail:
            status, description = self.fail.pop(name)
            return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()
        if name == "getMe":
            result = {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                      "supports_inline_queries": False}
        elif name in ("sendMessage", "editMessageText"):
            self.next_id += 1
            result = {"message_id": params.get("message_id", self.next_id), "date": 0,
                      "chat": {"id": params["chat_id"], "type": "private"}, "from": BOT_USER, "text": params["text"]}
        elif name == "getChatMember":
            user = {"id": params["user_id"], "is_bot": False, "first_name": "Ann"}
            result = ({"status": "creator", "user": user, "is_anonymous": False} if params["user_id"] in self.admins
                      else {"status": "member", "user": user})
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self) -> list[dict]:
        return [params for name, params in self.calls if name == "sendMessage"]

    def called(self, method: str) -> list[dict]:
        return [params for name, params in self.calls if name == method]


@contextlib.asynccontextmanager
async def offline_app(engine, request: OfflineRequest, **kwargs):
    """A real PTB application over `engine`, talking only to `request`."""
    application = build_application(engine, TOKEN, request=request, rate_limit=False, **kwargs)
    await application.initialize()
    try:
        yield application
    finally:
        await application.shutdown()


@pytest.fixture
async def app(engine):
    request = OfflineRequest()
    async with offline_app(engine, request) as application:
        application.test_request = request
        yield application


_ids = iter(range(1, 10**6))


def message(text, chat_id=42, chat_type="private", language_code="en", reply_to_bot=False, edited=False,
            user_id=42):
    chat = {"id": chat_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Group"
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    for match in re.finditer(r"@\w+", text):
        entities.append({"type": "mention", "offset": match.start(), "length": len(match.group())})
    msg = {"message_id": next(_ids), "date": 0, "chat": chat, "text": text, "entities": entities,
           "from": {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": language_code}}
    if reply_to_bot:
        msg["reply_to_message"] = {"message_id": next(_ids), "date": 0, "chat": chat, "from": BOT_USER,
                                   "text": "an earlier answer"}
    if edited:
        msg["edit_date"] = 1
    return {"update_id": next(_ids), ("edited_message" if edited else "message"): msg}


async def send(app, **kwargs) -> list[dict]:
    before = len(app.test_request.sent())
    update = Update.de_json(message(**kwargs), app.bot)
    await app.process_update(update)
    return app.test_request.sent()[before:]


def well_formed(html: str) -> bool:
    stack = []
    for closing, tag in re.findall(r"<(/?)([a-zA-Z]+)[^>]*>", html):
        if tag not in ALLOWED_TAGS:
            return False
        if closing:
            if not stack or stack.pop() != tag:
                return False
        else:
            stack.append(tag)
    return not stack


async def test_private_question_gets_a_cited_html_reply(app):
    [reply] = await send(app, text="When did Khuong Sreng visit Hanoi?")
    assert reply["parse_mode"] == "HTML"
    assert reply["text"].startswith("<b>4–6 September (2022)</b>\n“")
    assert "September 4-6" in reply["text"] and "<b>Sources:</b>" in reply["text"]
    assert reply["text"].endswith("<i>Hanoi pushes for closer ties with Phnom Penh: Mayor</i>, ¶4")
    assert "reply_parameters" not in reply  # no quoting in a private chat
    names = [name for name, _ in app.test_request.calls]
    assert names.index("sendChatAction") < names.index("sendMessage")


async def test_group_chatter_and_other_bots_commands_are_ignored(app):
    assert await send(app, text="hello everyone", chat_id=-1001, chat_type="supergroup") == []
    assert await send(app, text="When did Khuong Sreng visit Hanoi?", chat_id=-1001, chat_type="supergroup") == []
    assert await send(app, text="/ask@OtherBot When?", chat_id=-1001, chat_type="supergroup") == []
    assert await send(app, text="/help", chat_id=-1001, chat_type="group") != []


@pytest.mark.parametrize("text", [
    "/ask When did Khuong Sreng visit Hanoi?",
    "/ask@CiteBot When did Khuong Sreng visit Hanoi?",
    "@citebot When did Khuong Sreng visit Hanoi?",
    "When did Khuong Sreng visit Hanoi, @CITEBOT?",
])
async def test_group_questions_addressed_to_the_bot_are_answered_as_replies(app, text):
    update = message(text=text, chat_id=-1002, chat_type="supergroup")
    await app.process_update(Update.de_json(update, app.bot))
    [reply] = app.test_request.sent()
    assert "September 4-6" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]


async def test_reply_to_the_bot_is_answered(app):
    [reply] = await send(app, text="When did Khuong Sreng visit Hanoi?", chat_id=-1003, chat_type="group",
                         reply_to_bot=True)
    assert "September 4-6" in reply["text"]


async def test_edited_messages_are_not_answered_again(app):
    assert await send(app, text="When did Khuong Sreng visit Hanoi?", edited=True) == []
    assert await send(app, text="/ask When?", chat_id=-1004, chat_type="group", edited=True) == []


async def test_follow_up_and_new_topic(app):
    await send(app, text="Who did Khuong Sreng meet in Hanoi?", chat_id=77)
    [follow] = await send(app, text="and when?", chat_id=77)
    assert "September 4-6" in follow["text"]
    await send(app, text="/new", chat_id=77)
    [after] = await send(app, text="and when?", chat_id=77)
    assert "do not say" in after["text"]


async def test_follow_up_context_is_per_chat(app):
    await send(app, text="Who did Khuong Sreng meet in Hanoi?", chat_id=78)
    [other] = await send(app, text="and when?", chat_id=79)
    assert "do not say" in other["text"]


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


async def test_html_in_a_question_is_escaped(app):
    [reply] = await send(app, text="<b>Who</b> <script>x</script> & </i>?", chat_id=85)
    assert "<script>" not in reply["text"] and well_formed(reply["text"])


async def test_empty_ask_gets_a_polite_prompt(app):
    [reply] = await send(app, text="/ask", chat_id=86)
    assert "Please ask a question" in reply["text"]


async def test_command_menu_in_both_languages(app):
    await app.post_init(app)
    menus = [params for name, params in app.test_request.calls if name == "setMyCommands"]
    assert len(menus) == 2
    assert {m.get("language_code") for m in menus} == {None, "vi"}
    assert all({c["command"] for c in m["commands"]} >= {"ask", "help", "sources", "lang", "new"} for m in menus)


async def test_unparseable_html_falls_back_to_plain_text(engine):
    request = OfflineRequest(fail={"sendMessage": (400, "Bad Request: can't parse entities: unexpected end tag")})
    async with offline_app(engine, request) as application:
        await application.process_update(Update.de_json(message(text="When did Khuong Sreng visit Hanoi?"),
                                                        application.bot))
        first, second = request.sent()
        assert first["parse_mode"] == "HTML" and "parse_mode" not in second
        assert "Sources:" in second["text"] and "<b>" not in second["text"]


async def test_a_server_error_is_retried_and_the_answer_arrives_once(engine):
    request = OfflineRequest(fail={"sendMessage": (502, "Bad Gateway")})
    async with offline_app(engine, request) as application:
        await application.process_update(Update.de_json(message(text="When did Khuong Sreng visit Hanoi?"),
                                                        application.bot))
        attempts = request.sent()
        assert len(attempts) == 2 and attempts[0] == attempts[1]  # one failed try, one delivered answer
        assert "September 4-6" in attempts[1]["text"]


async def test_a_failing_answer_gets_an_apology_in_the_users_language(tmp_path):
    class BrokenEngine:  # stands for a bug anywhere in answering
        articles = []

        def answer(self, *args, **kwargs):
            raise RuntimeError("boom")

    request = OfflineRequest()
    async with offline_app(BrokenEngine(), request) as application:
        await application.process_update(Update.de_json(message(text="Who met whom?", language_code="vi"),
                                                        application.bot))
        [apology] = request.sent()
        assert apology["text"].startswith("Xin lỗi")


async def test_long_replies_are_split_at_paragraphs(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(120):
        (docs / f"{n:03d}.txt").write_text(
            f"Delegation number {n} visits the partner city for cooperation talks\n\n"
            f"The delegation number {n} met city leaders on May {n % 28 + 1}, 2025 and agreed on trade.\n", "utf-8")
    request = OfflineRequest()
    async with offline_app(Engine.from_folder(docs, tmp_path / "ix"), request) as application:
        await application.process_update(Update.de_json(message(text="/sources"), application.bot))
        parts = [m["text"] for m in request.sent()]
        assert len(parts) >= 3
        assert all(len(p) <= 4096 and well_formed(p) for p in parts)
        assert "Delegation number 0 " in parts[0] and "Delegation number 119 " in parts[-1]
        assert all(p.split("\n")[-1].endswith("paragraphs") for p in parts)  # cut between entries


def test_split_never_cuts_inside_a_tag():
    html = "<i>" + "word " * 2000 + "</i>"
    parts = split_message(html, limit=500)
    assert len(parts) > 10
    assert all(len(p) <= 500 and well_formed(p) for p in parts)
    assert " ".join(re.sub(r"</?i>", "", p) for p in parts).split() == ["word"] * 2000


def settings(**kwargs):
    kwargs.setdefault("user_rate", UserRateLimit(10, 60))
    return TelegramSettings(**kwargs)


async def test_one_user_cannot_monopolise_the_bot(engine):
    request = OfflineRequest()
    async with offline_app(engine, request, settings=settings(user_rate=UserRateLimit(3, 60))) as application:
        for _ in range(6):
            await application.process_update(Update.de_json(
                message(text="@CiteBot When did Khuong Sreng visit Hanoi?", chat_id=-1009, chat_type="group",
                        user_id=7), application.bot))
        texts = [m["text"] for m in request.sent()]
        assert sum("September 4-6" in t for t in texts) == 3
        assert sum("faster than I can answer" in t for t in texts) == 1  # warned once, then quiet
        await application.process_update(Update.de_json(
            message(text="@CiteBot When did Khuong Sreng visit Hanoi?", chat_id=-1009, chat_type="group", user_id=8),
            application.bot))
        assert "September 4-6" in request.sent()[-1]["text"]  # others are still served


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

    async def say(text, user_id):
        await application.process_update(Update.de_json(message(text=text, user_id=user_id, chat_id=user_id),
                                                        application.bot))
        return request.sent()[-1]["text"]

    assert "administrators" in await say("/reload", user_id=2)
    assert "do not say" in await say("When did Hanoi and Vientiane sign the memorandum?", user_id=2)
    assert "Re-indexed 3 articles" in await say("/reload", user_id=1)
    assert "October 14, 2025" in await say("When did Hanoi and Vientiane sign the memorandum?", user_id=2)
    await application.shutdown()


def raw(payload: dict, kind: str = "message") -> dict:
    base = {"message_id": next(_ids), "date": 0, "chat": {"id": 90, "type": "private"},
            "from": {"id": 90, "is_bot": False, "first_name": "Ann"}}
    return {"update_id": next(_ids), kind: {**base, **payload}}


PHOTO = [{"file_id": "f", "file_unique_id": "u", "width": 10, "height": 10}]


async def test_a_photo_caption_is_a_question_in_private(app):
    await app.process_update(Update.de_json(raw({"photo": PHOTO, "caption": "When did Khuong Sreng visit Hanoi?"}),
                                            app.bot))
    [reply] = app.test_request.sent()
    assert "September 4-6" in reply["text"]


@pytest.mark.parametrize("payload, kind", [
    ({"photo": PHOTO}, "message"),
    ({"sticker": {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
                  "is_video": False, "type": "regular"}}, "message"),
    ({"location": {"latitude": 21.0, "longitude": 105.8}}, "message"),
    ({"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "Bo"}],
      "chat": {"id": -1010, "type": "group", "title": "G"}}, "message"),
    ({"photo": PHOTO, "caption": "When?", "chat": {"id": -1011, "type": "group", "title": "G"}}, "message"),
    ({"text": "When did Khuong Sreng visit Hanoi?", "chat": {"id": -1012, "type": "channel", "title": "C"}},
     "channel_post"),
])
async def test_updates_that_are_not_questions_are_ignored(app, payload, kind):
    await app.process_update(Update.de_json(raw(payload, kind), app.bot))
    assert app.test_request.sent() == []


def buttons(reply: dict) -> dict[str, str]:
    """The inline keyboard of a reply: label -> callback data."""
    return {b["text"]: b["callback_data"] for row in reply["reply_markup"]["inline_keyboard"] for b in row}


async def press(app, reply: dict, label: str, user_id: int = 42, chat_type: str = "private") -> list[dict]:
    """Press the button `label` under the bot's `reply`; the messages the bot sent for it."""
    before = len(app.test_request.sent())
    chat = {"id": reply["chat_id"], "type": chat_type, **({"title": "G"} if chat_type != "private" else {})}
    query = {"update_id": next(_ids), "callback_query": {
        "id": f"cb{next(_ids)}", "chat_instance": "ci", "data": buttons(reply)[label],
        "from": {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": "en"},
        "message": {"message_id": 5000, "date": 1, "chat": chat, "from": BOT_USER, "text": reply["text"]}}}
    await app.process_update(Update.de_json(query, app.bot))
    return app.test_request.sent()[before:]


async def test_an_answer_has_buttons_for_its_paragraph_the_other_language_and_follow_ups(app):
    [reply] = await send(app, text="Who is Vietnam's ambassador to Cambodia?", chat_id=301)
    assert list(buttons(reply)) == ["¶ full paragraph", "Tiếng Việt", "When?", "Where?", "What was agreed?"]
    [paragraph] = await press(app, reply, "¶ full paragraph")
    assert paragraph["text"].startswith("[1] <i>Hà Nội - Phnom Penh")
    assert "<blockquote expandable>Theo phóng viên TTXVN tại Phnom Penh" in paragraph["text"]
    assert well_formed(paragraph["text"])
    assert await press(app, reply, "Tiếng Việt") == []
    [edit] = app.test_request.called("editMessageText")
    assert edit["text"].startswith("<b>Nguyễn Huy Tăng</b>\n“Theo phóng viên") and "<b>Nguồn:</b>" in edit["text"]
    assert "English" in buttons(edit)  # and back
    acknowledged = app.test_request.called("answerCallbackQuery")
    assert len(acknowledged) == 2 and not any(a.get("show_alert") for a in acknowledged)


async def test_a_follow_up_button_continues_that_answers_question(app):
    [reply] = await send(app, text="Who did Khuong Sreng meet in Hanoi?", chat_id=302)
    await send(app, text="How many people live in Hanoi?", chat_id=302)  # the chat moved on
    [follow] = await press(app, reply, "When?")
    assert "September 4-6" in follow["text"] and follow["text"].startswith("<b>4–6 September (2022)</b>")
    assert "reply_markup" in follow


async def test_a_button_from_before_a_restart_is_stale(app, engine):
    [reply] = await send(app, text="When did Khuong Sreng visit Hanoi?", chat_id=303)
    request = OfflineRequest()
    async with offline_app(engine, request) as restarted:
        restarted.test_request = request
        assert await press(restarted, reply, "¶ full paragraph") == []
        [ack] = request.called("answerCallbackQuery")
        assert ack["show_alert"] is True and "expired" in ack["text"]


async def test_follow_ups_are_per_member_in_a_group(app):
    group = {"chat_id": -1020, "chat_type": "supergroup"}
    await send(app, text="@CiteBot Who did Khuong Sreng meet in Hanoi?", user_id=1, **group)
    await send(app, text="@CiteBot How many people live in Hanoi?", user_id=2, **group)
    [first] = await send(app, text="@CiteBot and when?", user_id=1, **group)
    assert "September 4-6" in first["text"]
    [other] = await send(app, text="@CiteBot and when?", user_id=3, **group)
    assert "do not say" in other["text"]


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


@pytest.mark.parametrize("text, start", [("hello", "Hello!"), ("Xin chào!", "Xin chào!"), ("thanks", "You are welcome"),
                                         ("cảm ơn", "Không có gì"), ("help", "Ask me a question")])
async def test_small_talk_gets_a_friendly_reply_without_buttons(app, text, start):
    [reply] = await send(app, text=text, chat_id=304)
    assert reply["text"].startswith(start) and reply["text"].count("\n• ") == 2
    assert "reply_markup" not in reply


async def test_descriptions_in_both_languages(app):
    await app.post_init(app)
    for method, limit in (("setMyDescription", 512), ("setMyShortDescription", 120)):
        calls = app.test_request.called(method)
        assert {c.get("language_code") for c in calls} == {None, "vi"}
        texts = [c.get("description") or c.get("short_description") for c in calls]
        assert all(0 < len(t) <= limit for t in texts) and texts[0] != texts[1]


async def test_unknown_callback_query_is_acknowledged(app):
    query = {"update_id": next(_ids), "callback_query": {
        "id": "cb1", "chat_instance": "ci", "data": "nonsense",
        "from": {"id": 91, "is_bot": False, "first_name": "Ann"}}}
    await app.process_update(Update.de_json(query, app.bot))
    assert [name for name, _ in app.test_request.calls if name == "answerCallbackQuery"] == ["answerCallbackQuery"]
    assert app.test_request.sent() == []


async def test_concurrent_updates_keep_each_chats_order(engine):
    request = OfflineRequest()
    async with offline_app(engine, request, settings=settings(user_rate=UserRateLimit(0, 1))) as application:
        questions = ["When did Khuong Sreng visit Hanoi?", "How many people live in Hanoi?", "Who met whom?"]
        updates = [message(text=f"{q}", chat_id=chat, user_id=chat) for chat in (201, 202, 203) for q in questions]
        await asyncio.gather(*(application.process_update(Update.de_json(u, application.bot)) for u in updates))
        for chat in (201, 202, 203):
            texts = [m["text"] for m in request.sent() if m["chat_id"] == chat]
            assert len(texts) == 3
            assert "September 4-6" in texts[0] and "nine million" in texts[1] and "meetings" in texts[2]


async def test_empty_question_is_answered_in_the_users_language(app):
    [reply] = await send(app, text="?", language_code="vi", chat_id=92)
    assert reply["text"].startswith("Bạn hãy đặt một câu hỏi")


async def test_unknown_command_is_read_from_its_entity(app):
    update = message(text="/frob@CiteBot.", chat_id=93)
    update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len("/frob@CiteBot")}]
    await app.process_update(Update.de_json(update, app.bot))
    [reply] = app.test_request.sent()
    assert "/frob" in reply["text"]
