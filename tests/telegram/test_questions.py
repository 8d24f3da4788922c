"""Questions: private chats, group addressing (/ask, mentions, replies to the bot), follow-ups, the per-user limit."""
import pytest
from telegram import Update

from bot.telegram.ratelimit import UserRateLimit

from .offline import OfflineRequest, _ids, message, offline_app, send, settings, well_formed
from .test_buttons import press


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


async def edit(app, update: dict, text: str) -> list[tuple[str, dict]]:
    """Edit the message of `update` to `text`; the Bot API calls the bot made for it."""
    before = len(app.test_request.calls)
    edited = {**update["message"], "text": text, "edit_date": 1}
    edited["entities"] = message(text)["message"]["entities"]
    await app.process_update(Update.de_json({"update_id": next(_ids), "edited_message": edited}, app.bot))
    return [(name, params) for name, params in app.test_request.calls[before:] if name != "sendChatAction"]


async def test_an_edited_question_gets_its_answer_edited_in_place(app):
    """Issue #20: an edited question got no new answer."""
    update = message(text="When did Khuong Sreng visit Hamoi?", chat_id=93)
    await app.process_update(Update.de_json(update, app.bot))
    [first] = app.test_request.sent()
    first_id = app.test_request.next_id
    [(method, params)] = await edit(app, update, "How many people live in Hanoi?")
    assert method == "editMessageText" and params["message_id"] == first_id
    assert "nine million" in params["text"] and "reply_markup" in params and params["text"] != first["text"]
    [(method, again)] = await edit(app, update, "When did Khuong Sreng visit Hanoi?")  # and again: the same reply
    assert method == "editMessageText" and again["message_id"] == first_id and "September 4-6" in again["text"]


async def test_an_edit_the_bot_never_answered_is_answered_anew_and_chatter_stays_ignored(app):
    group = {"chat_id": -1004, "chat_type": "group"}
    update = message(text="hello everyone", **group)
    await app.process_update(Update.de_json(update, app.bot))
    assert await edit(app, update, "what a day") == []  # still not addressed to the bot
    [(method, params)] = await edit(app, update, "@CiteBot When did Khuong Sreng visit Hanoi?")
    assert method == "sendMessage" and "September 4-6" in params["text"]
    assert params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    command = message(text="/lang vi", **group)
    assert await edit(app, command, "/lang en") == []  # commands other than /ask are not run again


async def test_follow_up_and_new_topic(app):
    await send(app, text="Who did Khuong Sreng meet in Hanoi?", chat_id=77)
    [follow] = await send(app, text="and when?", chat_id=77)
    assert "September 4-6" in follow["text"]
    await send(app, text="/new", chat_id=77)
    [after] = await send(app, text="and when?", chat_id=77)
    assert after["text"].startswith("I have no earlier question") and "full question" in after["text"]
    [vietnamese] = await send(app, text="còn khi nào?", chat_id=77)
    assert "câu hỏi đầy đủ" in vietnamese["text"]


async def test_follow_up_context_is_per_chat(app):
    await send(app, text="Who did Khuong Sreng meet in Hanoi?", chat_id=78)
    [other] = await send(app, text="and when?", chat_id=79)
    assert "full question" in other["text"]


async def test_html_in_a_question_is_escaped(app):
    [reply] = await send(app, text="<b>Who</b> <script>x</script> & </i>?", chat_id=85)
    assert "<script>" not in reply["text"] and well_formed(reply["text"])


async def test_empty_ask_gets_a_polite_prompt(app):
    [reply] = await send(app, text="/ask", chat_id=86)
    assert "Please ask a question" in reply["text"]


async def test_small_talk_and_button_presses_do_not_count_against_the_limit(engine):
    """Issue #20: greetings, thanks and presses used up the 10 questions a minute."""
    request = OfflineRequest()
    async with offline_app(engine, request, settings=settings(user_rate=UserRateLimit(2, 60))) as application:
        application.test_request = request
        for text in ("hello", "Who did Khuong Sreng meet in Hanoi?", "thanks!", "cảm ơn"):
            await send(application, text=text, chat_id=95)
        [answer] = [m for m in request.sent() if "reply_markup" in m]
        [follow] = await press(application, answer, "When?")
        assert "September 4-6" in follow["text"]
        [second] = await send(application, text="How many people live in Hanoi?", chat_id=95)
        assert "nine million" in second["text"]
        [warning] = await send(application, text="Who met whom?", chat_id=95)
        assert "faster than I can answer" in warning["text"]
        assert not any("faster" in m["text"] for m in request.sent()[:-1])


async def test_the_limits_warning_is_in_the_askers_language_then_silence(engine):
    """Issue #20: a Vietnamese user (whose Telegram is in English) was warned in English."""
    request = OfflineRequest()
    async with offline_app(engine, request, settings=settings(user_rate=UserRateLimit(1, 60))) as application:
        application.test_request = request
        await send(application, text="Đại sứ Việt Nam tại Campuchia là ai?", chat_id=96)
        [warning] = await send(application, text="Ai hội đàm với Khuong Sreng?", chat_id=96)
        assert warning["text"].startswith("Bạn hỏi nhanh quá")
        assert await send(application, text="Hai bên đã nhất trí những gì?", chat_id=96) == []
        assert await send(application, text="hello", chat_id=96) != []  # small talk is still answered


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


STICKER = {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False, "is_video": False,
           "type": "regular"}
VOICE = {"file_id": "v", "file_unique_id": "v", "duration": 2}


@pytest.mark.parametrize("payload", [{"photo": PHOTO}, {"sticker": STICKER}, {"voice": VOICE},
                                     {"location": {"latitude": 21.0, "longitude": 105.8}}])
@pytest.mark.parametrize("language_code, start", [("en", "I read only text"), ("vi", "Tôi chỉ đọc được tin nhắn chữ")])
async def test_what_is_not_text_in_private_gets_one_line_saying_the_bot_reads_text(app, payload, language_code, start):
    """Issue #20: a sticker or voice note in a private chat got no reply."""
    update = raw(payload)
    update["message"]["from"]["language_code"] = language_code
    await app.process_update(Update.de_json(update, app.bot))
    [reply] = app.test_request.sent()
    assert reply["text"].startswith(start) and "\n" not in reply["text"]


@pytest.mark.parametrize("payload, kind", [
    ({"photo": PHOTO, "chat": {"id": -1013, "type": "group", "title": "G"}}, "message"),
    ({"sticker": STICKER, "chat": {"id": -1014, "type": "supergroup", "title": "G"}}, "message"),
    ({"voice": VOICE, "chat": {"id": -1015, "type": "group", "title": "G"}}, "message"),
    ({"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "Bo"}],
      "chat": {"id": -1010, "type": "group", "title": "G"}}, "message"),
    ({"photo": PHOTO, "caption": "When?", "chat": {"id": -1011, "type": "group", "title": "G"}}, "message"),
    ({"text": "When did Khuong Sreng visit Hanoi?", "chat": {"id": -1012, "type": "channel", "title": "C"}},
     "channel_post"),
])
async def test_updates_that_are_not_questions_are_ignored(app, payload, kind):
    await app.process_update(Update.de_json(raw(payload, kind), app.bot))
    assert app.test_request.sent() == []


async def test_follow_ups_are_per_member_in_a_group(app):
    group = {"chat_id": -1020, "chat_type": "supergroup"}
    await send(app, text="@CiteBot Who did Khuong Sreng meet in Hanoi?", user_id=1, **group)
    await send(app, text="@CiteBot How many people live in Hanoi?", user_id=2, **group)
    [first] = await send(app, text="@CiteBot and when?", user_id=1, **group)
    assert "September 4-6" in first["text"]
    [other] = await send(app, text="@CiteBot and when?", user_id=3, **group)
    assert "full question" in other["text"] and "reply_markup" not in other


@pytest.mark.parametrize("text, start", [("hello", "Hello!"), ("Xin chào!", "Xin chào!"), ("thanks", "You are welcome"),
                                         ("cảm ơn", "Không có gì"), ("help", "Ask me a question")])
async def test_small_talk_gets_a_friendly_reply_without_buttons(app, text, start):
    [reply] = await send(app, text=text, chat_id=304)
    assert reply["text"].startswith(start) and reply["text"].count("\n• ") == 2
    assert "reply_markup" not in reply


async def test_empty_question_is_answered_in_the_users_language(app):
    [reply] = await send(app, text="?", language_code="vi", chat_id=92)
    assert reply["text"].startswith("Bạn hãy đặt một câu hỏi")


@pytest.mark.parametrize("greeted, plain", [("hi there, who met whom?", "Who met whom?"),
                                            ("chào bạn, ai hội đàm với Khuong Sreng?", "ai hội đàm với Khuong Sreng?")])
async def test_a_greeting_before_a_question_is_dropped(app, greeted, plain):
    [reply] = await send(app, text=greeted, chat_id=310)
    [expected] = await send(app, text=plain, chat_id=311)
    assert reply["text"] == expected["text"] and "do not say" not in reply["text"]
