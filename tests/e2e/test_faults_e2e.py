"""Bot API faults and a burst, injected through the emulator against the real bot process.

Every answer must arrive exactly once, in order within its chat, while other chats
keep being served.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from .emulator_client import TelegramEmulator, make_user, private_chat

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
               "XDG_CACHE_HOME": str(tmp / "cache"), "BOT_USER_RATE_LIMIT": "0"}
        log = open(tmp / "bot.log", "w")
        bot = subprocess.Popen([sys.executable, "-m", "bot", "telegram"], env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            emulator.wait_until_polling(process=bot)
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
    """500 messages from 50 chats: each answered exactly once, in order within its chat."""
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
