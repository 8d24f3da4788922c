"""What reaches the handlers from the Bot API (issue #21): malformed updates skipped one by one,
and every update answered once across a kill, through the journal beside the state file."""
import json
import pickle

import pytest
from telegram import Update

from bot.telegram.app import JOURNAL_SUFFIX
from bot.telegram.ledger import UpdateLedger

from .offline import OfflineRequest, message, offline_app

CHAT = {"id": 61, "type": "private"}
USER = {"id": 61, "is_bot": False, "first_name": "Ann"}
MALFORMED = [
    {"message": {"message_id": 1, "date": 0, "text": "When?"}},  # no chat
    {"message": {"message_id": 1, "chat": CHAT, "text": "When?"}},  # no date
    {"message": "When did Khuong Sreng visit Hanoi?"},
    {"message": {"message_id": 1, "date": 0, "chat": CHAT, "from": USER, "text": 5}},
    {"message": {"message_id": 1, "date": 0, "chat": {"id": "x", "type": "private"}, "text": "When?"}},
    {"message": {"message_id": 1, "date": 0, "chat": CHAT, "text": "@CiteBot",
                 "entities": [{"type": "mention", "offset": "0", "length": 8}]}},
    {"callback_query": {"id": "1", "chat_instance": "c", "data": "p x 1"}},  # no sender
    {"poll": {"id": 1}},
]


def batch(*updates: dict, first: int = 100) -> list[dict]:
    return [{**update, "update_id": first + n} for n, update in enumerate(updates)]


async def test_a_malformed_update_is_skipped_not_the_whole_batch(engine, caplog):
    """PTB parses a batch whole: one update it could not parse and it dropped the batch and
    fetched it again, forever."""
    request = OfflineRequest()
    good = message(text="When did Khuong Sreng visit Hanoi?")
    old_button = {"callback_query": {"id": "2", "chat_instance": "c", "from": USER, "data": "p x 1",
                                     "message": {"message_id": 3, "date": 0, "chat": CHAT}}}  # an inaccessible message
    request.updates = batch(*MALFORMED, good, old_button, {"frobnicate": {}})
    async with offline_app(engine, request) as application:
        updates = await application.bot.get_updates()
    assert [u.update_id for u in updates] == list(range(100, 100 + len(MALFORMED) + 3))
    assert [u.to_dict() for u in updates[:len(MALFORMED)]] == [{"update_id": 100 + n} for n in range(len(MALFORMED))]
    assert updates[-3].message.text == "When did Khuong Sreng visit Hanoi?" and updates[-2].callback_query
    skipped = [r.getMessage() for r in caplog.records if "malformed" in r.getMessage()]
    assert len(skipped) == len(MALFORMED) and not any("Khuong" in line for line in skipped)


async def test_updates_fetched_and_never_answered_are_answered_after_a_restart(engine, tmp_path):
    state = tmp_path / "chats.pickle"
    request = OfflineRequest()
    fetched = batch(*(message(text=q, chat_id=62, user_id=62) for q in (
        "When did Khuong Sreng visit Hanoi?", "How many people live in Hanoi?", "Who met whom?")))
    request.updates = [dict(u) for u in fetched]
    async with offline_app(engine, request, state_file=state) as application:
        [first, *_] = await application.bot.get_updates()
        # handled as PTB does, through the update processor; then the bot is killed
        await application.update_processor.process_update(first, application.process_update(first))
    [answer] = request.sent()
    assert "September 4-6" in answer["text"]
    restarted = OfflineRequest()
    async with offline_app(engine, restarted, state_file=state) as application:
        await application.post_init(application)
        replayed = [application.update_queue.get_nowait() for _ in range(application.update_queue.qsize())]
        assert [u.update_id for u in replayed] == [101, 102]
        restarted.updates = [dict(u) for u in fetched] + batch(message(text="hello"), first=103)
        again = await application.bot.get_updates()  # Telegram sends the unacknowledged ones again
        assert [u.to_dict() for u in again[:3]] == [{"update_id": 100}, {"update_id": 101}, {"update_id": 102}]
        assert again[3].message.text == "hello"


def journal(state) -> list[dict]:
    return [json.loads(line) for line in state.with_name(state.name + JOURNAL_SUFFIX).read_text().splitlines()]


async def test_an_answer_counts_as_given_when_its_request_leaves_and_as_not_if_it_fails(engine, tmp_path):
    """Marked before it is sent: an answer the Bot API received before a kill, whose response
    the bot never read, is not sent again; one whose request failed is pending again."""
    state = tmp_path / "chats.pickle"
    request = OfflineRequest(fail={"sendMessage": (502, "Bad Gateway")})  # once, then the retry works
    request.updates = batch(message(text="When did Khuong Sreng visit Hanoi?", chat_id=63), first=200)
    async with offline_app(engine, request, state_file=state) as application:
        [update] = await application.bot.get_updates()
        await application.update_processor.process_update(update, application.process_update(update))
    marks = [line for line in journal(state) if "update_id" not in line]
    assert marks == [{"answered": 200}, {"failed": 200}, {"answered": 200}, {"handled": 200}]


def test_an_answer_on_its_way_at_a_kill_is_not_sent_again_and_a_cut_line_is_skipped(tmp_path, caplog):
    path = tmp_path / "journal"
    path.write_text('{"update_id": 5, "message": {}}\n{"answered": 5}\n{"update_id": 6, "message": {}}\n'
                    '{"update_id": 7, "mess')
    ledger = UpdateLedger(path)
    assert 5 in ledger.handled and list(ledger.pending) == [6]
    assert "1 answers were on their way when the bot stopped" in caplog.text


async def test_lang_is_saved_at_once_and_a_failed_save_keeps_the_one_before(engine, tmp_path):
    """/lang was saved up to five seconds later, and a bot killed while saving left a cut file
    it could not start from."""
    state = tmp_path / "chats.pickle"
    async with offline_app(engine, OfflineRequest(), state_file=state) as application:
        await application.process_update(Update.de_json(message(text="/lang vi", chat_id=64), application.bot))
        assert pickle.loads(state.read_bytes())["chat_data"][64] == {"lang": "vi"}
        application.chat_data[64]["unpicklable"] = lambda: None
        with pytest.raises(AttributeError):
            await application.persistence.update_chat_data(64, application.chat_data[64])
        del application.chat_data[64]["unpicklable"]
        assert pickle.loads(state.read_bytes())["chat_data"][64] == {"lang": "vi"}
