"""Bot API faults and a burst, injected through the emulator against the real bot process.

Every answer must arrive exactly once, in order within its chat, while other chats
keep being served.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from .emulator_client import TelegramEmulator, group_chat, make_user, private_chat

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js for the Bot API emulator")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QUESTIONS = [  # (question, what its answer must hold)
    ("When did Khuong Sreng visit Hanoi?", "September 4-6"),
    ("How many people live in Hanoi?", "nine million"),
    ("What was Hanoi's GRDP growth in the first half of 2022?", "7.79"),
    ("Đại sứ Việt Nam tại Campuchia là ai?", "Nguyễn Huy Tăng"),
    ("What did Khuong Sreng thank Hanoi for?", "sincere thanks"),
    ("When will Hanoi's two major plannings be completed?", "third quarter of 2023"),
    ("Hai bên đã nhất trí những gì tại cuộc hội đàm?", "sinh viên"),
    ("Bí thư Thành ủy Đinh Tiến Dũng đã chào xã giao những ai?", "Heng Samrin"),
    ("Nhân dân Campuchia không bao giờ quên điều gì?", "Quân tình nguyện"),
    ("What is the ticket price of the Cat Linh - Ha Dong metro line?", "do not say"),
]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The emulator and `python -m bot telegram` polling it, stopped by process id afterwards."""
    tmp = tmp_path_factory.mktemp("faults")
    with TelegramEmulator(bot_username="CiteBot") as emulator:
        env = {**os.environ, **emulator.bot_env(), "BOT_STATE_FILE": str(tmp / "chats.pickle"),
               "XDG_CACHE_HOME": str(tmp / "cache"), "BOT_USER_RATE_LIMIT": "0", "BOT_ENCODER": "on"}
        log = open(tmp / "bot.log", "w")
        bot = subprocess.Popen([sys.executable, "-m", "bot", "telegram"], env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            emulator.wait_until_polling(process=bot)
            emulator.bot_process, emulator.bot_log = bot, tmp / "bot.log"
            yield emulator
        finally:
            bot.terminate()
            try:
                bot.wait(20)
            except subprocess.TimeoutExpired:
                bot.kill()
                bot.wait()
            log.close()


_next_user = iter(range(5000, 10**6))


def ask(emulator, text):
    user = make_user(next(_next_user), "Tester")
    return emulator.send_message(text, user=user, chat=private_chat(user))


def answers(emulator, msg):
    return [m for m in emulator.sent_messages(msg["chat"]["id"], after_message_id=msg["message_id"])
            if m["method"].lower() == "sendmessage"]


def test_flood_control_is_waited_out_and_the_answer_sent_once(live):
    msg = ask(live, "When did Khuong Sreng visit Hanoi?")
    live.set_response("sendMessage", error_code=429, description="Too Many Requests: retry after 1",
                      parameters={"retry_after": 1}, times=1, match={"chat_id": msg["chat"]["id"]})
    other = ask(live, "How many people live in Hanoi?")  # another chat is not held up
    [reply] = live.wait_for_reply(msg, timeout=15)
    assert "September 4-6" in reply["text"]
    assert "nine million" in live.wait_for_reply(other, timeout=15)[0]["text"]
    time.sleep(1)
    assert len(answers(live, msg)) == 1


@pytest.mark.parametrize("fault", [
    {"error_code": 502, "description": "Bad Gateway", "times": 2},
    {"error_code": 500, "description": "Internal Server Error", "times": 1},
    {"fault": "drop", "times": 2},
])
def test_transient_faults_are_retried_and_the_answer_sent_once(live, fault):
    user = make_user(next(_next_user), "Tester")
    live.set_response("sendMessage", match={"chat_id": user["id"]}, **fault)
    msg = live.send_message("When did Khuong Sreng visit Hanoi?", user=user, chat=private_chat(user))
    [reply] = live.wait_for_reply(msg, timeout=20)
    assert "September 4-6" in reply["text"]
    time.sleep(1)
    assert len(answers(live, msg)) == 1


def test_a_slow_api_that_times_out_does_not_send_twice(live):
    user = make_user(next(_next_user), "Tester")
    live.set_response("sendMessage", fault="delay", delay_ms=7000, times=1, match={"chat_id": user["id"]})
    msg = live.send_message("When did Khuong Sreng visit Hanoi?", user=user, chat=private_chat(user))
    other = ask(live, "How many people live in Hanoi?")
    assert "nine million" in live.wait_for_reply(other, timeout=10)[0]["text"]
    [reply] = live.wait_for_reply(msg, timeout=20)
    assert "September 4-6" in reply["text"]
    time.sleep(2)
    assert len(answers(live, msg)) == 1  # not repeated, and no apology on top


def test_a_user_who_blocked_the_bot_does_not_stop_the_others(live):
    blocked = make_user(next(_next_user), "Gone")
    live.set_response("sendMessage", error_code=403, description="Forbidden: bot was blocked by the user",
                      match={"chat_id": blocked["id"]})
    live.send_message("When did Khuong Sreng visit Hanoi?", user=blocked, chat=private_chat(blocked))
    msg = ask(live, "When did Khuong Sreng visit Hanoi?")
    assert "September 4-6" in live.wait_for_reply(msg, timeout=10)[0]["text"]
    attempts = [c for c in live.calls("sendMessage") if c["params"].get("chat_id") in (blocked["id"], str(blocked["id"]))]
    assert len(attempts) == 1  # Forbidden is final: not retried, no apology


def test_unparseable_html_is_resent_as_plain_text(live):
    user = make_user(next(_next_user), "Tester")
    live.set_response("sendMessage", error_code=400, description="Bad Request: can't parse entities: unsupported tag",
                      times=1, match={"chat_id": user["id"], "parse_mode": "HTML"})
    msg = live.send_message("When did Khuong Sreng visit Hanoi?", user=user, chat=private_chat(user))
    [reply] = live.wait_for_reply(msg, timeout=10)
    assert reply["parse_mode"] in (None, "") and "<b>" not in reply["text"]
    assert "September 4-6" in reply["text"] and "Sources:" in reply["text"]


def test_a_burst_from_many_chats_is_answered_once_each_in_order(live, record_property):
    """500 messages from 50 chats: each answered exactly once, in order within its chat, with
    the sentence encoder on (each question encoded in the worker thread that answers it)."""
    assert "encoder: not used" not in live.bot_log.read_text("utf-8")
    users = [make_user(next(_next_user), f"Burst{n}") for n in range(50)]
    started = time.perf_counter()
    sent = {u["id"]: [] for u in users}
    for question, _ in QUESTIONS:
        for user in users:
            sent[user["id"]].append(live.send_message(question, user=user, chat=private_chat(user)))
    for user in users:
        first = sent[user["id"]][0]
        live.wait_for_messages(user["id"], count=len(QUESTIONS), after_message_id=first["message_id"] - 1,
                               timeout=180)
    elapsed = time.perf_counter() - started
    record_property("burst_seconds", round(elapsed, 1))
    print(f"\nburst: 500 messages from 50 chats answered in {elapsed:.1f} s ({500 / elapsed:.1f} answers/s)")
    for user in users:
        replies = [m["text"] for m in live.sent_messages(user["id"]) if m["method"].lower() == "sendmessage"]
        assert len(replies) == len(QUESTIONS)
        for reply, (_, expected) in zip(replies, QUESTIONS):
            assert expected in reply


def malformed_updates(user: dict) -> list:
    """Updates no handler can read as they are: fields missing or of the wrong type, kinds the
    bot does not know, and nothing at all."""
    chat = private_chat(user)
    good = {"message_id": 1, "date": 0, "chat": chat, "from": user}
    return [
        {"message": {"message_id": 1, "date": 0, "text": "When did Khuong Sreng visit Hanoi?"}},  # no chat
        {"message": {"message_id": 1, "chat": chat, "text": "When?"}},  # no date
        {"message": "When did Khuong Sreng visit Hanoi?"},
        {"message": None},
        {"message": {**good, "chat": "private"}},
        {"message": {**good, "chat": {"id": "abc", "type": "private"}, "text": "When did Khuong Sreng visit Hanoi?"}},
        {"message": {**good, "text": 12345}},
        {"message": {**good, "text": ["When?"]}},
        {"message": {**good, "text": "hi", "entities": [{"type": "mention"}]}},
        {"message": {**good, "chat": group_chat(-1009999), "text": "@CiteBot When?",
                     "entities": [{"type": "mention", "offset": "0", "length": 8}]}},
        {"message": {**good, "from": "someone", "text": "When?"}},
        {"edited_message": {**good, "date": "yesterday", "text": "When?"}},
        {"callback_query": {"id": "1", "chat_instance": "c", "data": "p x 1"}},  # no sender
        {"callback_query": {"id": "2", "chat_instance": "c", "from": user, "data": 5}},
        {"poll": {"id": 1}},
        {"frobnicate": {"a": 1}},
        {},
        7,
    ]


def test_malformed_updates_are_logged_and_skipped_and_the_others_answered(live):
    """Issue #21: one update PTB cannot parse made it drop the whole batch and fetch it again, forever."""
    user = make_user(next(_next_user), "Tester")
    first = live.send_message("When did Khuong Sreng visit Hanoi?", user=user, chat=private_chat(user))
    for update in malformed_updates(user):
        live.send_raw_update(update)
    live.send_message("How many people live in Hanoi? " + "x" * 200_000, user=user, chat=private_chat(user))
    live.send_message("Đại sứ Việt Nam tại Campuchia là ai?", user=user, chat=private_chat(user))
    replies = live.wait_for_reply(first, count=3, timeout=30)
    assert "September 4-6" in replies[0]["text"] and "Nguyễn Huy Tăng" in replies[2]["text"]
    assert "went wrong" not in replies[1]["text"]  # the huge text (cut at 2,000 characters) is answered too
    assert live.bot_process.poll() is None
    live.wait_until_updates_consumed(timeout=10)
    log = live.bot_log.read_text()
    assert log.count("skipped a malformed update") >= 12
    assert "When did Khuong Sreng" not in log  # what users wrote is not logged
    time.sleep(1)
    assert len(answers(live, first)) == 3


def _cpu_ticks(pid: int) -> int:
    """The process's CPU time so far (all its threads), in clock ticks."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def _until_idle(pid: int, still: float = 0.6, longest: float = 4.0) -> None:
    """Wait until the process has used no CPU for `still` seconds (at most `longest`: PTB's
    requests time out after 5 s). A fixed wait was not enough on a loaded machine: answers
    still being computed were then sent as the kill came, and one killed between its mark in
    the ledger and its bytes leaving is lost by design (ledger.py)."""
    deadline = time.monotonic() + longest
    last, since = _cpu_ticks(pid), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < still:
        time.sleep(0.1)
        if (now := _cpu_ticks(pid)) != last:
            last, since = now, time.monotonic()


def test_a_bot_killed_in_a_burst_answers_every_update_once_after_a_restart(tmp_path):
    """Issue #21: PTB acknowledges what it fetched before answering it, so a SIGKILL lost every
    update in its queue. The restarted bot must answer each of the 500 exactly once, in order,
    and keep the chats' /lang.

    The kill comes while answers are on their way: the emulator is stopped first, so that the
    bot's requests wait at its door, sent but not answered, when the bot dies; the emulator
    then reads them. An answer sent but never confirmed must not be sent again."""
    with TelegramEmulator(bot_username="CiteBot") as emulator:
        env = {**os.environ, **emulator.bot_env(), "BOT_STATE_FILE": str(tmp_path / "chats.pickle"),
               "XDG_CACHE_HOME": str(tmp_path / "cache"), "BOT_USER_RATE_LIMIT": "0"}

        def start(n):
            with open(tmp_path / f"bot{n}.log", "w") as log:
                process = subprocess.Popen([sys.executable, "-m", "bot", "telegram"], env=env, cwd=ROOT,
                                           stdout=log, stderr=log)
            emulator.wait_until_polling(process=process, timeout=60)
            return process

        bot = start(1)
        try:
            users = [make_user(next(_next_user), f"Kill{n}") for n in range(50)]
            vietnamese = {u["id"] for u in users[:10]}
            for user in users[:10]:
                lang = emulator.send_message("/lang vi", user=user, chat=private_chat(user),
                                             entities=[{"type": "bot_command", "offset": 0, "length": 5}])
                emulator.wait_for_reply(lang, timeout=15)
            before = emulator.state()["bot_messages"]
            first = {}
            for question, _ in QUESTIONS:
                for user in users:
                    sent = emulator.send_message(question, user=user, chat=private_chat(user))
                    first.setdefault(user["id"], sent["message_id"])
            deadline = time.monotonic() + 120
            while emulator.state()["bot_messages"] - before < 150:
                assert time.monotonic() < deadline, "the burst is not being answered"
                time.sleep(0.1)
            os.kill(emulator.process.pid, signal.SIGSTOP)
            try:
                _until_idle(bot.pid)  # every answer the bot has begun to send is now at the emulator's door
                bot.kill()  # SIGKILL: no clean-up of any kind
                bot.wait(10)
            finally:
                os.kill(emulator.process.pid, signal.SIGCONT)
            assert emulator.state()["bot_messages"] - before < 500
            bot = start(2)
            for user in users:
                emulator.wait_for_messages(user["id"], count=len(QUESTIONS), after_message_id=first[user["id"]] - 1,
                                           timeout=180)
            time.sleep(2)  # time for a repeated answer to show
            for user in users:
                replies = [m["text"] for m in emulator.sent_messages(user["id"], after_message_id=first[user["id"]] - 1)]
                assert len(replies) == len(QUESTIONS), (user["id"], len(replies))
                if user["id"] in vietnamese:
                    assert all("Nguồn:" in r or "không nói" in r for r in replies)
                else:
                    for reply, (_, expected) in zip(replies, QUESTIONS):
                        assert expected in reply
        finally:
            bot.kill()
            bot.wait(10)
