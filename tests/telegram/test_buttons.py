"""The buttons under an answer: a cited paragraph, the other language, follow-ups, stale and unknown presses."""
import asyncio
import threading
import time

import pytest
from telegram import Update

from .offline import BOT_USER, OfflineRequest, _ids, message, offline_app, send, well_formed


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
    # "When?" would lead to "no date": the talks he attended are not dated (issue #20); what was
    # agreed at them is.
    assert list(buttons(reply)) == ["¶ full paragraph", "Tiếng Việt", "Where?", "What was agreed?"]
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


@pytest.mark.parametrize("question, not_offered", [
    ("Who met whom in Hanoi?", "What was agreed?"),  # the engine finds nothing agreed
    ("Who did Dinh Tien Dung meet in Phnom Penh?", "When?"),  # the article gives no date for it
    ("Who is Vietnam's ambassador to Cambodia?", "When?"),  # the talks he attended are not dated
])
async def test_follow_up_buttons_are_offered_only_when_the_engine_has_an_answer(app, question, not_offered):
    """Issue #20: [What was agreed?] under "Who met whom in Hanoi?" led to "the articles do not
    say", [Where?] to a sentence that names no place. Each button offered leads to a date or a
    place for When and Where, else to an answer."""
    [reply] = await send(app, text=question, chat_id=305)
    follow_ups = [label for label, data in buttons(reply).items() if data.startswith("f ")]
    assert not_offered not in follow_ups and follow_ups
    for label in follow_ups:
        [follow] = await press(app, reply, label)
        assert "do not say" not in follow["text"]
        if label in ("When?", "Where?"):
            assert follow["text"].startswith("<b>"), f"{label} gave no date or place: {follow['text'][:80]}"


class SlowEngine:
    """The real engine, but one question takes half a second, as a reload of the articles may."""

    def __init__(self, engine, slow: str):
        self.engine, self.slow = engine, slow
        self.articles = engine.articles
        self.threads: set[str] = set()

    def stats(self):
        return self.engine.stats()

    def answer(self, question, *args, **kwargs):
        self.threads.add(threading.current_thread().name)
        if question == self.slow:
            time.sleep(0.5)
        return self.engine.answer(question, *args, **kwargs)


async def test_the_engine_runs_off_the_event_loop_so_other_chats_are_served_meanwhile(engine):
    """The answer and its follow-ups are worked out on the engine's thread: while it works, the
    event loop goes on acknowledging presses and sending other chats' replies."""
    slow = SlowEngine(engine, "Who met whom?")
    request = OfflineRequest()
    async with offline_app(slow, request) as application:
        def process(text, chat_id):
            return application.process_update(Update.de_json(message(text=text, chat_id=chat_id), application.bot))
        waiting = asyncio.create_task(process("Who met whom?", 306))
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        await process("/help", 307)
        assert time.perf_counter() - started < 0.3 and not waiting.done()
        await waiting
    assert [m["chat_id"] for m in request.sent()] == [307, 306]
    assert slow.threads == {"citebot-engine_0"}
