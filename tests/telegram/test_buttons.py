"""The buttons under an answer: a cited paragraph, the other language, follow-ups, stale and unknown presses."""
from telegram import Update

from .offline import BOT_USER, OfflineRequest, _ids, offline_app, send, well_formed


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


async def test_unknown_callback_query_is_acknowledged(app):
    query = {"update_id": next(_ids), "callback_query": {
        "id": "cb1", "chat_instance": "ci", "data": "nonsense",
        "from": {"id": 91, "is_bot": False, "first_name": "Ann"}}}
    await app.process_update(Update.de_json(query, app.bot))
    assert [name for name, _ in app.test_request.calls if name == "answerCallbackQuery"] == ["answerCallbackQuery"]
    assert app.test_request.sent() == []
