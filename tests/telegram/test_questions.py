"""Questions: private chats, group addressing (/ask, mentions, replies to the bot), follow-ups, the per-user limit."""
import pytest
from telegram import Update

from bot.telegram.ratelimit import UserRateLimit

from .offline import OfflineRequest, _ids, message, offline_app, send, settings, well_formed


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
