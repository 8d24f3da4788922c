"""End to end: the real `python -m bot telegram` process against the Bot API emulator.

The emulator (tests/e2e/emulator, driven through tests/e2e/emulator_client.py) plays
Telegram on 127.0.0.1: the tests inject updates as users would send them and read back
what the bot sent. One emulator and one polling bot serve most tests (module scope);
every test talks in chats of its own (fresh user and group ids), so tests do not see
each other's messages. Tests whose point is a restart, another articles folder or
webhook mode start their own emulator and bot. Every process is stopped by its id
(SIGTERM, wait, SIGKILL after a timeout) in a finally block.

The bot answers each chat's questions in order. So "the bot did not answer X" is
checked without sleeping: after X an empty question is sent as a barrier, and whatever
the bot sent for X must come before its prompt for a real question.
"""
from __future__ import annotations

import itertools
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

if shutil.which("node") is None:
    pytest.skip("Node.js (`node`) is not on PATH: the Telegram Bot API emulator cannot run",
                allow_module_level=True)

from tests.conftest import free_port  # noqa: E402
from tests.e2e.emulator_client import (  # noqa: E402
    DEFAULT_TOKEN,
    TelegramEmulator,
    group_chat,
    make_user,
    private_chat,
    utf16_len,
)

pytestmark = pytest.mark.e2e

Json = dict[str, Any]

ROOT = Path(__file__).resolve().parents[2]
BOT_USERNAME = "CiteBot"
TOKEN = DEFAULT_TOKEN
TOKEN_SECRET_PART = TOKEN.split(":", 1)[1]
TELEGRAM_LIMIT = 4096
REPLY_TIMEOUT = 20.0
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0

Q_WHEN = "When did Khuong Sreng visit Hanoi?"
Q_WHO = "Who did Khuong Sreng meet in Hanoi?"
Q_VI = "Chủ tịch Trần Sỹ Thanh hội đàm với Khuong Sreng vào ngày nào?"
EN_TITLE = "Hanoi pushes for closer ties with Phnom Penh: Mayor"
DATE = "September 4-6"
NOT_SAID = "The articles do not say"
FULL_QUESTION = "Please ask a full question"


# ------------------------------------------------------------------- chats
_serial = itertools.count(1)


def new_user(language_code: str | None = "en", **fields: Any) -> Json:
    """A user of its own, so that its private chat is new to the bot."""
    n = next(_serial)
    fields.setdefault("first_name", f"Tester{n}")
    return make_user(user_id=710_000 + n, username=f"tester{n}", language_code=language_code, **fields)


def new_group() -> Json:
    n = next(_serial)
    return group_chat(chat_id=-1_007_000_000_000 - n, title=f"E2E group {n}")


# ---------------------------------------------------------------- processes
def bot_environment(emu: TelegramEmulator | None, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a bot process: no TELEGRAM_*/BOT_* settings of the caller, the
    emulator's token and URL, a state file and an index cache in `workdir`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    if emu is not None:
        env.update(emu.bot_env())
    env["BOT_STATE_FILE"] = str(workdir / "state" / "telegram_chats.pickle")
    env["XDG_CACHE_HOME"] = str(workdir / "cache")
    # The bot runs with cwd=workdir (no .env there), so the repository must be importable.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


class BotProcess:
    """`python -m bot telegram ...` with stdout and stderr captured to files in `workdir`."""

    _ids = itertools.count(1)

    def __init__(self, env: dict[str, str], workdir: Path, args: tuple[str, ...] | list[str] = ()):
        n = next(self._ids)
        self.env = env
        self.workdir = workdir
        self.command = [sys.executable, "-m", "bot", "telegram", *args]
        self.stdout_path = workdir / f"bot{n}.stdout.log"
        self.stderr_path = workdir / f"bot{n}.stderr.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.returncode: int | None = None

    def start(self) -> BotProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(self.command, cwd=self.workdir, env=self.env,
                                            stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        return self

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM (the bot then finishes its answers and saves chat settings), wait, and
        SIGKILL if it has not exited after `timeout`. Returns the exit code."""
        proc = self.process
        if proc is None:
            return self.returncode
        try:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(10)
        finally:
            self.returncode = proc.returncode
            self.process = None
        return self.returncode

    def output(self) -> str:
        """Everything the process wrote so far, stdout then stderr."""
        return "".join(p.read_text("utf-8", errors="replace") for p in (self.stdout_path, self.stderr_path)
                       if p.exists())


def wait_until(ready, bot: BotProcess, what: str, timeout: float = START_TIMEOUT) -> None:
    """Poll `ready()` until it is true; fail with the bot's output if the bot exits or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while not ready():
        if bot.exited():
            raise AssertionError(f"bot exited with code {bot.process.returncode} before {what}:\n{bot.output()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"not {what} after {timeout}s:\n{bot.output()}")
        time.sleep(0.05)


def wait_polling(emu: TelegramEmulator, bot: BotProcess, *, after_count: int = 0,
                 timeout: float = START_TIMEOUT) -> None:
    """Wait until `bot` long-polls the emulator: a getUpdates is waiting and it is not an
    earlier process's (the count of getUpdates calls went past `after_count`)."""
    def polling() -> bool:
        state = emu.state()["polling"]
        return state["waiting"] and state["count"] > after_count

    wait_until(polling, bot, "polling", timeout)


def wait_listening(port: int, bot: BotProcess, timeout: float = START_TIMEOUT) -> None:
    def listening() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    wait_until(listening, bot, f"listening on {port}", timeout)


def assert_token_not_in(text: str) -> None:
    """Not even in another letter case (tokens are case-sensitive, but a lowercased one
    gives most of it away)."""
    folded = text.casefold()
    assert TOKEN.casefold() not in folded, "the bot token appears in the bot's output"
    assert TOKEN_SECRET_PART.casefold() not in folded, "the secret part of the bot token appears in the bot's output"


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def emu():
    """The emulator shared by the module's polling bot; stopped by its pid on exit."""
    with TelegramEmulator(bot_username=BOT_USERNAME) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def bot(emu, tmp_path_factory):
    """`python -m bot telegram` (long polling) on the bundled articles."""
    workdir = tmp_path_factory.mktemp("bot")
    process = BotProcess(bot_environment(emu, workdir), workdir)
    try:
        process.start()
        wait_polling(emu, process)
        yield process
    finally:
        process.stop()


@pytest.fixture
def fresh_emu():
    """An emulator of its own, for a test that runs its own bot processes."""
    with TelegramEmulator(bot_username=BOT_USERNAME) as emulator:
        yield emulator


# ----------------------------------------------------------------- helpers
EMPTY_PROMPTS = ("Please ask a question about the articles", "Bạn hãy đặt một câu hỏi về các bài báo")


def is_empty_prompt(message: Json) -> bool:
    return (message.get("plain_text") or "").startswith(EMPTY_PROMPTS)


def is_help(message: Json) -> bool:
    text = message.get("plain_text") or ""
    return "/lang" in text and "/sources" in text


def replies_before_barrier(emu: TelegramEmulator, chat: Json, after_id: int, *, user: Json | None = None) -> list[Json]:
    """Send an empty question in `chat` and wait for the bot's prompt for a real one; return
    the bot's messages in `chat` after message `after_id` that came before that prompt.

    The bot answers a chat's questions in order (its other chats run side by side), so
    this is everything it sent for the messages injected before the barrier, without
    sleeping. In a group the barrier is "/ask@bot" with nothing after it, from a user of
    its own (so that it does not count against anyone's question rate limit)."""
    if chat["type"] == "private":
        probe = emu.send_private_message("?", user=user)
    else:
        probe = emu.send_command("ask", mention_bot=True, chat=chat, user=new_user())
    [prompt, *_] = emu.wait_for_messages(chat["id"], 1, after_message_id=probe["message_id"],
                                         predicate=is_empty_prompt, timeout=REPLY_TIMEOUT)
    messages = emu.sent_messages(chat["id"], after_message_id=after_id)
    ids = [m["message_id"] for m in messages]
    return messages[:ids.index(prompt["message_id"])]


def one_reply(emu: TelegramEmulator, message: Json, *, user: Json | None = None) -> Json:
    """The bot's single answer to `message` (fails if there is none or more than one)."""
    replies = replies_before_barrier(emu, message["chat"], message["message_id"], user=user)
    assert len(replies) == 1, f"expected one reply, got {[r['text'] for r in replies]}"
    return replies[0]


def reply_to(emu: TelegramEmulator, message: Json) -> Json:
    """The first message the bot sends after `message` in its chat."""
    return emu.wait_for_reply(message, timeout=REPLY_TIMEOUT)[0]


_HTML_TOKEN = re.compile(r"<(/?)([a-z][a-z-]*)(?:\s[^<>]*)?>|&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|[<>&]")
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code",
                 "pre", "blockquote", "tg-emoji"}


def html_problems(text: str) -> list[str]:
    """What makes `text` invalid Telegram HTML: unsupported or unbalanced tags, a bare < > &."""
    stack: list[str] = []
    problems = []
    for match in _HTML_TOKEN.finditer(text):
        token, name = match.group(0), match.group(2)
        if name is None:
            if token in "<>&":
                problems.append(f"unescaped {token!r} at {match.start()}")
        elif name not in TELEGRAM_TAGS:
            problems.append(f"unsupported tag {token!r}")
        elif not match.group(1):
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
        else:
            problems.append(f"unbalanced {token!r} at {match.start()} (open: {stack})")
    if stack:
        problems.append(f"unclosed tags {stack}")
    return problems


def assert_html_reply(message: Json) -> None:
    """Sent in HTML parse mode, valid, and accepted as such by the (strict) emulator."""
    assert message["parse_mode"] == "HTML", f"not sent as HTML (refused and resent as plain?): {message['text']!r}"
    assert html_problems(message["text"]) == [], message["text"]


def last_call_seq(emu: TelegramEmulator) -> int:
    return max((c["seq"] for c in emu.calls()), default=0)


def squash(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------- 1. a private question
def test_private_question_gets_one_html_reply_with_sources_after_typing(emu, bot):
    user = new_user()
    chat_id = user["id"]
    seq = last_call_seq(emu)
    question = emu.send_private_message(Q_WHEN, user=user)

    reply = one_reply(emu, question, user=user)

    assert_html_reply(reply)
    assert DATE in reply["plain_text"]
    assert "<b>Sources:</b>" in reply["text"]
    assert f"<i>{EN_TITLE}</i>" in reply["text"]
    assert {"bold", "italic"} <= {e["type"] for e in reply["entities"]}
    # A typing indicator went to this chat, before the answer.
    calls = [c for c in emu.calls(after_seq=seq) if str(c["params"].get("chat_id")) == str(chat_id)]
    [answer_call] = [c for c in calls if c["method"] == "sendMessage" and c["params"].get("text") == reply["text"]]
    before = [c["params"]["action"] for c in calls if c["method"] == "sendChatAction" and c["seq"] < answer_call["seq"]]
    assert before == ["typing"]


# ------------------------------------------------------ 2. group chatter
def test_group_chatter_and_commands_for_other_bots_get_no_reply(emu, bot):
    group, user = new_group(), new_user()
    first = emu.send_group_message("hello everyone", chat=group, user=user)
    emu.send_group_message(Q_WHEN, chat=group, user=user)  # a question, but not addressed to the bot
    emu.send_command("ask", Q_WHEN, mention_bot="OtherBot", chat=group, user=user)
    emu.send_command("start", mention_bot="OtherBot", chat=group, user=user)
    emu.send_command("frobnicate", chat=group, user=user)  # a bare unknown command may be for another bot
    emu.send_mention(Q_WHEN, chat=group, username="OtherBot", user=user)
    emu.reply_to_message(first, Q_WHEN, user=new_user())  # a reply, but to a person, not to the bot
    emu.edit_message(first, "hello again, everyone")  # edited, still chatter

    assert replies_before_barrier(emu, group, first["message_id"]) == []


def test_an_edited_question_gets_its_answer_edited_in_place(emu, bot):
    """Issue #20: an edited question got no new answer."""
    user = new_user()
    question = emu.send_private_message("Who did Khuong Sreng meet in Hamoi?", user=user)
    answer = reply_to(emu, question)
    emu.edit_message(question, Q_WHEN)
    emu.wait_for_call("editMessageText", predicate=lambda c: c["params"]["message_id"] == answer["message_id"])
    [edited] = [m for m in emu.sent_messages(user["id"]) if m["message_id"] == answer["message_id"]]
    assert DATE in edited["plain_text"] and edited["plain_text"] != answer["plain_text"]
    assert_html_reply(edited)
    assert replies_before_barrier(emu, private_chat(user), answer["message_id"], user=user) == []


def test_an_edit_that_addresses_the_bot_in_a_group_is_answered(emu, bot):
    group, user = new_group(), new_user()
    first = emu.send_group_message("hello everyone", chat=group, user=user)
    emu.edit_message(first, f"@{BOT_USERNAME} {Q_WHEN}",
                     entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}])
    assert DATE in one_reply(emu, first)["plain_text"]


# ------------------------------------------- 3. addressed group messages
ADDRESSED_FORMS = ["ask_at_bot", "bare_ask", "mention_lowercase", "mention_mid_sentence_uppercase", "reply_to_bot"]


@pytest.mark.parametrize("form", ADDRESSED_FORMS)
def test_addressed_group_message_is_answered_as_a_reply(emu, bot, form):
    group, user = new_group(), new_user()
    if form == "ask_at_bot":
        asked = emu.send_command("ask", Q_WHEN, mention_bot=True, chat=group, user=user)
    elif form == "bare_ask":
        asked = emu.send_command("ask", Q_WHEN, chat=group, user=user)
    elif form == "mention_lowercase":
        mention = "@" + BOT_USERNAME.lower()
        asked = emu.send_mention(f"{mention} {Q_WHEN}", chat=group, username=mention, user=user)
    elif form == "mention_mid_sentence_uppercase":
        mention = "@" + BOT_USERNAME.upper()
        asked = emu.send_mention(f"When did Khuong Sreng {mention} visit Hanoi?", chat=group, username=mention,
                                 user=user)
    else:
        earlier = emu.send_command("ask", Q_WHO, mention_bot=True, chat=group, user=user)
        bot_message = reply_to(emu, earlier)
        asked = emu.reply_to_message(bot_message, Q_WHEN, user=user)
        assert asked["reply_to_message"]["from"]["username"] == BOT_USERNAME

    reply = one_reply(emu, asked)

    assert reply["reply_to_message_id"] == asked["message_id"]
    assert reply["message"]["reply_to_message"]["message_id"] == asked["message_id"]
    assert_html_reply(reply)
    assert DATE in reply["plain_text"]


def test_mention_is_not_part_of_the_question(emu, bot):
    """The same question with and without the mention gets the same answer (with a stray
    word "citebot" in it, this question is not answered at all)."""
    user = new_user()
    private = reply_to(emu, emu.send_private_message(Q_WHO, user=user))
    assert NOT_SAID not in private["plain_text"]
    group = new_group()
    for mention, text in ((f"@{BOT_USERNAME.lower()}", f"@{BOT_USERNAME.lower()} {Q_WHO}"),
                          (f"@{BOT_USERNAME.upper()}", f"{Q_WHO} @{BOT_USERNAME.upper()}")):
        asked = emu.send_mention(text, chat=group, username=mention, user=user)
        reply = reply_to(emu, asked)
        assert reply["reply_to_message_id"] == asked["message_id"]
        assert reply["text"] == private["text"], f"{text!r} answered differently from the private question"


# ----------------------------------------------------------- 4. follow-ups
def test_follow_up_uses_the_previous_question_until_new(emu, bot):
    user = new_user()

    first = reply_to(emu, emu.send_private_message(Q_WHO, user=user))
    assert "Khuong Sreng" in first["plain_text"]
    follow_up = reply_to(emu, emu.send_private_message("and when?", user=user))
    assert DATE in follow_up["plain_text"]
    assert "<b>Sources:</b>" in follow_up["text"]

    reset = reply_to(emu, emu.send_command("new", user=user))
    assert "Starting afresh" in reset["plain_text"]
    alone = reply_to(emu, emu.send_private_message("and when?", user=user))
    assert FULL_QUESTION in alone["plain_text"]  # issue #20: it said "the articles do not say"
    assert DATE not in alone["plain_text"] and "Sources:" not in alone["plain_text"]
    vietnamese = reply_to(emu, emu.send_private_message("còn khi nào?", user=user))
    assert "câu hỏi đầy đủ" in vietnamese["plain_text"]


def test_a_command_does_not_overtake_a_question_asked_before_it(emu, bot):
    """Flood control on the typing indicator holds the answer for a second (the rate
    limiter waits and retries); a /lang vi sent after the question must neither change
    the language of that answer nor be confirmed before it."""
    user = new_user()
    emu.set_response("sendChatAction", error_code=429, description="Too Many Requests: retry after 1",
                     parameters={"retry_after": 1}, times=1, match={"chat_id": user["id"]})
    question = emu.send_private_message(Q_WHEN, user=user)
    emu.send_command("lang", "vi", user=user)

    first, second = emu.wait_for_messages(user["id"], 2, after_message_id=question["message_id"],
                                          timeout=REPLY_TIMEOUT)[:2]
    assert DATE in first["plain_text"], f"the /lang reply came before the answer: {first['plain_text']!r}"
    assert "<b>Sources:</b>" in first["text"], "the question was answered in the language chosen after it"
    assert "tiếng Việt" in second["plain_text"]


# ----------------------------------------------------------- 5. Vietnamese
def test_vietnamese_question_is_answered_in_vietnamese(emu, bot):
    user = new_user(language_code="en")
    reply = one_reply(emu, emu.send_private_message(Q_VI, user=user), user=user)

    assert_html_reply(reply)
    assert "<b>Nguồn:</b>" in reply["text"]
    assert "Sources:" not in reply["plain_text"]
    assert DATE in reply["plain_text"]


def test_start_greets_in_the_users_language(emu, bot):
    vi_user = new_user(language_code="vi", first_name="Lan")
    greeting = reply_to(emu, emu.send_command("start", user=vi_user))
    assert "Xin chào Lan" in greeting["plain_text"]
    assert_html_reply(greeting)

    en_user = new_user(language_code="en", first_name="Ann")
    greeting = reply_to(emu, emu.send_command("start", user=en_user))
    assert "Hello Ann" in greeting["plain_text"]


# ----------------------------------------------- 6. /lang survives a restart
def test_lang_choice_survives_a_restart_and_old_buttons_are_stale(fresh_emu, tmp_path):
    env = bot_environment(fresh_emu, tmp_path)
    state_file = Path(env["BOT_STATE_FILE"])
    user, other = new_user(language_code="en"), new_user(language_code="en")
    outputs = []

    first = BotProcess(env, tmp_path)
    try:
        first.start()
        wait_polling(fresh_emu, first)
        before_restart = one_reply(fresh_emu, fresh_emu.send_private_message(Q_WHEN, user=other), user=other)
        chosen = reply_to(fresh_emu, fresh_emu.send_command("lang", "vi", user=user))
        assert "tiếng Việt" in chosen["plain_text"]
    finally:
        code = first.stop()
        outputs.append(first.output())
    assert code == 0, f"the bot did not exit cleanly on SIGTERM (code {code}):\n{outputs[-1]}"
    assert state_file.is_file(), "chat settings were not saved on shutdown"

    polls = fresh_emu.state()["polling"]["count"]
    second = BotProcess(env, tmp_path)
    try:
        second.start()
        wait_polling(fresh_emu, second, after_count=polls)
        reply = one_reply(fresh_emu, fresh_emu.send_private_message(Q_WHEN, user=user), user=user)
        assert "<b>Nguồn:</b>" in reply["text"], "the /lang vi choice was lost in the restart"
        assert DATE in reply["plain_text"]
        elsewhere = reply_to(fresh_emu, fresh_emu.send_private_message(Q_WHEN, user=other))
        assert "<b>Sources:</b>" in elsewhere["text"], "/lang vi leaked into another chat"

        pressed = fresh_emu.press_button(before_restart, "¶ full paragraph", user=other)
        [ack] = fresh_emu.wait_for_call("answerCallbackQuery",
                                        predicate=lambda c: c["params"]["callback_query_id"] == pressed["id"])
        assert ack["params"].get("show_alert") is True and "expired" in ack["params"]["text"]
        assert replies_before_barrier(fresh_emu, private_chat(other), elsewhere["message_id"], user=other) == []
    finally:
        code = second.stop()
        outputs.append(second.output())
    assert code == 0, outputs[-1]
    for output in outputs:
        assert_token_not_in(output)


# ------------------------------------------------- 7. lengths, HTML, splitting
def test_help_and_who_met_whom_are_well_formed_html(emu, bot):
    user = new_user()
    help_reply = one_reply(emu, emu.send_command("help", user=user), user=user)
    assert is_help(help_reply)
    assert_html_reply(help_reply)
    assert help_reply["entities"], "the help text has no formatting"

    meetings = one_reply(emu, emu.send_private_message("Who met whom?", user=user), user=user)
    assert_html_reply(meetings)
    assert "The articles report these meetings" in meetings["plain_text"]
    assert "Khuong Sreng" in meetings["plain_text"]
    assert "<b>Sources:</b>" in meetings["text"]


CITIES = ["Northvale", "Eastport", "Westbrook", "Southmere", "Highcliff", "Lowmoor", "Redhaven", "Greenfield",
          "Blackstone", "Whitewater", "Silverlake", "Goldcrest", "Ironbridge", "Oakridge"]
FIRST_NAMES = ["Alan", "Clara", "Derek", "Elena", "Felix", "Grace", "Henry", "Irene", "Jonas", "Karla", "Louis",
               "Maria", "Nolan", "Olga", "Peter", "Quinn"]
LAST_NAMES = ["Brightwater", "Stonefield", "Ashdown", "Thornbury", "Kettering", "Marlowe", "Pembrook", "Wexley",
              "Hollister", "Carrington", "Fairbanks", "Lindqvist", "Rutherford", "Sinclair", "Whitlock", "Yardley"]


def write_meeting_articles(folder: Path, count: int) -> None:
    """`count` news articles, each reporting two meetings of titled officials: "Who met
    whom?" quotes both meetings of every article, a reply of several thousand characters."""
    folder.mkdir(parents=True)
    for k in range(count):
        city, partner = CITIES[k % len(CITIES)], CITIES[(k + 3) % len(CITIES)]
        mayor = f"{FIRST_NAMES[k % 16]} {LAST_NAMES[k % 16]}"
        governor = f"{FIRST_NAMES[(k + 5) % 16]} {LAST_NAMES[(k + 7) % 16]}"
        director = f"{FIRST_NAMES[(k + 9) % 16]} {LAST_NAMES[(k + 11) % 16]}"
        title = f"{city} and {partner} open a new chapter of municipal cooperation ({k + 1})"
        (folder / f"cooperation_{k:02d}.txt").write_text(f"""---
title: {title}
language: en
publisher: The Example Times
---
{title}

The two cities have worked together on trade, culture and urban planning for more than twenty years, and officials \
on both sides say the partnership is entering a more ambitious phase.

Mayor {mayor} of {city} met Governor {governor} of {partner} for talks at the city hall on March {k + 3}, where the \
two leaders reviewed two decades of exchanges in trade, education, tourism, public transport and waste management, \
and discussed a programme of joint projects for the coming five years that both sides described as practical, \
measurable and open to private investors.

Later that afternoon, Governor {governor} also received Director {director} of the {city} Department of Planning for \
a working meeting on flood control, green parks and the renovation of old residential quarters, and the two \
officials agreed to set up a joint working group that will report to both city governments every six months.

The delegation will continue its visit with trips to industrial parks and universities before returning home at \
the end of the week.
""", encoding="utf-8")
        # Written a minute ago: a file changed within the last second may still be being written,
        # and a bot started at once would leave it for its next check.
        os.utime(folder / f"cooperation_{k:02d}.txt", (time.time() - 60,) * 2)


def test_long_reply_is_split_at_paragraph_boundaries_and_meetings_stay_short(fresh_emu, tmp_path):
    """80 articles: /sources is a reply of several messages, cut between entries; "who met
    whom?" over their 160 meetings lists five, one line each, and says how many more."""
    docs = tmp_path / "docs"
    write_meeting_articles(docs, 80)
    env = bot_environment(fresh_emu, tmp_path)
    process = BotProcess(env, tmp_path, ["--docs", str(docs)])
    try:
        process.start()
        wait_polling(fresh_emu, process)
        group = new_group()
        asked = fresh_emu.send_command("sources", mention_bot=True, chat=group, user=new_user())
        parts = replies_before_barrier(fresh_emu, group, asked["message_id"])
        user = new_user()
        meetings = one_reply(fresh_emu, fresh_emu.send_private_message("Who met whom?", user=user), user=user)
    finally:
        code = process.stop()
    assert code == 0, process.output()
    assert_token_not_in(process.output())

    # The same list as plain text, from the console.
    cli = subprocess.run([sys.executable, "-m", "bot", "console", "--docs", str(docs)], input="/sources\n",
                         cwd=tmp_path, env=bot_environment(None, tmp_path), capture_output=True, text=True, timeout=60)
    assert cli.returncode == 0, cli.stderr
    expected = cli.stdout.strip()
    assert len(expected) > 2 * TELEGRAM_LIMIT, "the generated articles no longer make a long list"

    assert len(parts) >= 2, f"a {len(expected)}-character reply arrived as {len(parts)} message(s)"
    assert len(parts) <= math.ceil(len(expected) / (TELEGRAM_LIMIT // 2)), "split into more parts than needed"
    for n, part in enumerate(parts):
        assert len(part["text"]) <= TELEGRAM_LIMIT
        assert utf16_len(part["plain_text"]) <= TELEGRAM_LIMIT
        assert_html_reply(part)
        assert part["reply_to_message_id"] == asked["message_id"], "in a group every part quotes the question"
        shown = part["plain_text"].strip()
        # Each part starts and ends at a line (paragraph) boundary of the whole reply.
        assert ("\n" + shown[:80]) in ("\n" + expected), f"part {n} starts inside a paragraph: {shown[:80]!r}"
        assert (shown[-80:] + "\n") in (expected + "\n"), f"part {n} ends inside a paragraph: {shown[-80:]!r}"
    # Nothing lost or repeated: together the parts are the whole reply.
    assert squash("\n".join(p["plain_text"] for p in parts)) == squash(expected)

    text = meetings["plain_text"]
    assert text.startswith("The articles report these meetings")
    assert text.count("\n• ") == 5 and "…and " in text and len(text) <= 1200, text


def test_html_refused_by_telegram_is_resent_as_plain_text(emu, bot):
    user = new_user()
    # (The description quotes the request URL, token and all, to check the logged warning.)
    emu.set_response("sendMessage", error_code=400, times=1, match={"chat_id": user["id"]},
                     description="Can't parse entities: unsupported start tag \"x\" at byte offset 0 "
                                 f"(POST {emu.api_base_url}{TOKEN}/sendMessage)")
    reply = one_reply(emu, emu.send_private_message(Q_WHEN, user=user), user=user)
    assert reply["parse_mode"] is None
    assert "<b>" not in reply["text"] and "<i>" not in reply["text"]
    assert DATE in reply["text"] and "Sources:" in reply["text"] and EN_TITLE in reply["text"]
    output = bot.output()
    assert "refused the HTML" in output
    assert_token_not_in(output)


# ------------------------------------------------------ 8. HTML is escaped
def test_html_in_a_question_is_escaped(emu, bot):
    user = new_user()
    question = emu.send_private_message(
        "<b>When</b> did Khuong Sreng visit <i>Hanoi</i>? <script>x</script>", user=user)
    reply = one_reply(emu, question, user=user)
    assert_html_reply(reply)  # the strict emulator accepted it as HTML
    assert "<script>" not in reply["text"]


def test_echoed_user_text_is_escaped(emu, bot):
    """The pieces of user text the bot repeats (an unknown command, the user's name)."""
    command = "/x<script>alert(1)</script>"
    user = new_user(first_name="<b>Eve</b> & <script>")
    # Telegram marks only "/x" as the command; the bot names the command it was given.
    unknown = reply_to(emu, emu.send_private_message(
        command, user=user, entities=[{"type": "bot_command", "offset": 0, "length": 2}]))
    assert_html_reply(unknown)
    assert "<script>" not in unknown["text"]
    assert "command /x." in unknown["plain_text"]

    greeting = reply_to(emu, emu.send_command("start", user=user))
    assert_html_reply(greeting)
    assert "Hello <b>Eve</b> & <script>" in greeting["plain_text"]
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;script&gt;" in greeting["text"]


# --------------------------------------------------------- 9. webhook mode
def test_webhook_mode_accepts_only_the_secret(fresh_emu, tmp_path):
    port = free_port()
    secret = "s3cret"
    url = f"http://127.0.0.1:{port}/telegram"
    env = bot_environment(fresh_emu, tmp_path, TELEGRAM_WEBHOOK_SECRET=secret)
    process = BotProcess(env, tmp_path, ["--webhook-url", url, "--listen", "127.0.0.1", "--port", str(port)])
    refused_user, accepted_user, relayed_user = new_user(), new_user(), new_user()

    def update(update_id: int, user: Json) -> Json:
        return {"update_id": update_id, "message": {
            "message_id": 1, "date": int(time.time()), "chat": private_chat(user), "from": user, "text": Q_WHEN}}

    try:
        process.start()
        [registered] = fresh_emu.wait_for_call("setWebhook", timeout=START_TIMEOUT)
        assert registered["params"]["url"] == url
        assert registered["params"]["secret_token"] == secret
        wait_listening(port, process)

        with httpx.Client(timeout=10.0, trust_env=False) as http:
            wrong = http.post(url, json=update(900_001, refused_user),
                              headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            almost = http.post(url, json=update(900_004, refused_user),
                               headers={"X-Telegram-Bot-Api-Secret-Token": secret[:-1] + "T"})
            missing = http.post(url, json=update(900_002, refused_user))
            right = http.post(url, json=update(900_003, accepted_user),
                              headers={"X-Telegram-Bot-Api-Secret-Token": secret})
        assert wrong.status_code == 403
        assert almost.status_code == 403
        assert missing.status_code == 403
        assert right.status_code == 200

        [answer] = fresh_emu.wait_for_messages(accepted_user["id"], 1, timeout=REPLY_TIMEOUT)
        assert DATE in answer["plain_text"]
        assert_html_reply(answer)
        # Updates are handled in order: had a refused one been taken, it would be answered by now.
        assert fresh_emu.sent_messages(refused_user["id"]) == []

        # The emulator delivers updates to the registered webhook with the secret, as Telegram does.
        relayed = fresh_emu.send_private_message(Q_WHEN, user=relayed_user)
        assert DATE in reply_to(fresh_emu, relayed)["plain_text"]
        assert fresh_emu.state()["polling"]["count"] == 0, "the bot polled although in webhook mode"
    finally:
        code = process.stop()
    assert code == 0, process.output()
    assert_token_not_in(process.output())
    assert secret not in process.output(), "the webhook secret appears in the bot's output"


# ------------------------------------------------ 10. missing or bad token
@pytest.mark.parametrize("case, token, extra_args", [
    ("unset", None, []),
    ("blank", "   ", []),
    ("malformed", "not-a-token", []),
    ("malformed_short_secret", "123456789:short", []),
    ("webhook_without_secret", TOKEN, ["--webhook-url", "http://127.0.0.1:9/telegram"]),
])
def test_bad_configuration_is_one_line_and_exit_code_2(tmp_path, case, token, extra_args):
    env = bot_environment(None, tmp_path)  # no TELEGRAM_* variables at all
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    assert not (tmp_path / ".env").exists()
    done = subprocess.run([sys.executable, "-m", "bot", "telegram", *extra_args], cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{done.stderr}"
    assert lines[0].startswith("error:")
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    if token and token.strip():
        assert token not in done.stderr


# ------------------------------------------ 11. the token is never written
def test_token_never_appears_in_the_bots_output(emu, bot):
    user = new_user()
    answer = reply_to(emu, emu.send_private_message(Q_WHEN, user=user))
    assert DATE in answer["plain_text"]

    # A failed answer is logged with its traceback and the user gets an apology. This
    # error's message quotes the request URL, which holds the token: the log must not.
    emu.set_response("sendMessage", error_code=400, times=1, match={"chat_id": user["id"]},
                     description=f"Message thread not found (POST {emu.api_base_url}{TOKEN}/sendMessage)")
    failed = emu.send_private_message(Q_WHO, user=user)
    apology = reply_to(emu, failed)
    assert "Sorry, something went wrong" in apology["plain_text"]

    output = bot.output()
    assert "answered update" in output
    assert "error while handling an update" in output
    assert "Message thread not found" in output
    assert_token_not_in(output)


def test_token_in_a_bad_request_error_is_redacted(fresh_emu, tmp_path):
    process = BotProcess(bot_environment(fresh_emu, tmp_path), tmp_path)
    user = new_user()
    try:
        process.start()
        wait_polling(fresh_emu, process)
        fresh_emu.set_response("sendMessage", error_code=400, times=1, match={"chat_id": user["id"]},
                               description=f"Bad Request: chat not found (POST {fresh_emu.api_base_url}{TOKEN}"
                                           "/sendMessage)")
        apology = reply_to(fresh_emu, fresh_emu.send_private_message(Q_WHEN, user=user))
        assert "Sorry, something went wrong" in apology["plain_text"]
    finally:
        code = process.stop()
    assert code == 0, process.output()
    assert "Chat not found" in process.output()
    assert_token_not_in(process.output())


# ------------------------------------------------- 12. buttons under answers
def labels(message: Json) -> list[str]:
    return [b["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def last_id(emu: TelegramEmulator, chat_id: int) -> int:
    """The id of the bot's latest message in the chat: what comes after it answers what is sent next."""
    return emu.sent_messages(chat_id)[-1]["message_id"]


def acknowledgement(emu: TelegramEmulator, pressed: Json) -> Json:
    [ack] = emu.wait_for_call("answerCallbackQuery", timeout=REPLY_TIMEOUT,
                              predicate=lambda c: c["params"]["callback_query_id"] == pressed["id"])
    return ack


def test_an_answer_has_a_keyboard_and_each_button_works(emu, bot):
    user = new_user()
    chat = private_chat(user)
    reply = one_reply(emu, emu.send_private_message("Who is Vietnam's ambassador to Cambodia?", user=user), user=user)
    assert reply["plain_text"].startswith("Nguyễn Huy Tăng (Nguyen Huy Tang)\nIn Vietnamese: “")
    # [When?] would lead to "no date": the talks he attended are not dated (issue #20); what was
    # agreed at them is.
    assert labels(reply) == ["¶ full paragraph", "Tiếng Việt", "Where?", "What was agreed?"]

    # ¶: the whole paragraph, in an expandable quote, after the press was acknowledged.
    after = last_id(emu, user["id"])
    pressed = emu.press_button(reply, "¶ full paragraph", user=user)
    [paragraph] = emu.wait_for_messages(user["id"], 1, after_message_id=after, timeout=REPLY_TIMEOUT)
    assert_html_reply(paragraph)
    assert "expandable_blockquote" in {e["type"] for e in paragraph["entities"]}
    assert "Thay mặt Hội đồng thủ đô Phnom Penh" in paragraph["plain_text"]  # beyond the quoted sentence
    [sent] = [c for c in emu.calls("sendMessage") if c["params"].get("text") == paragraph["text"]]
    assert acknowledgement(emu, pressed)["seq"] < sent["seq"]

    # The other language: the same message, its frame now Vietnamese, with a button back.
    emu.press_button(reply, "Tiếng Việt", user=user)
    emu.wait_for_call("editMessageText", predicate=lambda c: c["params"]["message_id"] == reply["message_id"])
    [edited] = [m for m in emu.sent_messages(user["id"]) if m["message_id"] == reply["message_id"]]
    assert edited["plain_text"].startswith("Nguyễn Huy Tăng\n“Theo phóng viên") and "Nguồn:" in edited["plain_text"]
    assert "English" in labels(edited)

    # A follow-up continues that answer's question, even after another question.
    who = reply_to(emu, emu.send_private_message(Q_WHO, user=user))
    one_reply(emu, emu.send_private_message("How many people live in Hanoi?", user=user), user=user)
    after = last_id(emu, user["id"])
    emu.press_button(who, "When?", user=user)
    [when] = emu.wait_for_messages(user["id"], 1, after_message_id=after, timeout=REPLY_TIMEOUT)
    assert DATE in when["plain_text"] and when["plain_text"].startswith("4–6 September (2022)")
    assert labels(when), "a follow-up's answer has its own buttons"

    # A double tap on the language button changes nothing (and is no error); a button whose
    # answer the bot does not hold is told so. Neither sends anything.
    emu.press_button(reply, "Tiếng Việt", user=user)
    stale = emu.send_callback_query("p 0000000 1", reply, user=user)
    ack = acknowledgement(emu, stale)
    assert ack["params"].get("show_alert") is True and "expired" in ack["params"]["text"]
    assert replies_before_barrier(emu, chat, when["message_id"], user=user) == []


def test_descriptions_are_set_in_both_languages(emu, bot):
    for method, field in (("setMyDescription", "description"), ("setMyShortDescription", "short_description")):
        calls = emu.wait_for_call(method, 2)
        assert {c["params"].get("language_code") for c in calls} == {None, "vi"}
        assert all(c["params"][field] for c in calls)


# --------------------------------------------------------- 13. groups, small talk
def test_follow_ups_are_per_member_in_a_group(emu, bot):
    group, alice, bob, carol = new_group(), new_user(), new_user(), new_user()
    reply_to(emu, emu.send_mention(Q_WHO, chat=group, user=alice))
    reply_to(emu, emu.send_mention("How many people live in Hanoi?", chat=group, user=bob))
    alice_when = emu.send_mention("and when?", chat=group, user=alice)
    assert DATE in one_reply(emu, alice_when)["plain_text"], "Alice's follow-up did not continue her question"
    carol_when = emu.send_mention("and when?", chat=group, user=carol)
    assert FULL_QUESTION in one_reply(emu, carol_when)["plain_text"], "Carol's follow-up continued someone else's"


def test_lang_in_a_group_is_for_its_administrators(emu, bot):
    group, member, admin = new_group(), new_user(), new_user()
    refused = one_reply(emu, emu.send_command("lang", "vi", mention_bot=True, chat=group, user=member))
    assert "only its administrators" in refused["plain_text"]
    assert refused["reply_to_message_id"] is not None
    assert "Sources:" in one_reply(emu, emu.send_command("ask", Q_WHEN, mention_bot=True, chat=group,
                                                           user=member))["plain_text"]
    emu.set_response("getChatMember", {"status": "creator", "user": admin, "is_anonymous": False},
                     match={"chat_id": group["id"], "user_id": admin["id"]})
    accepted = one_reply(emu, emu.send_command("lang", "vi", mention_bot=True, chat=group, user=admin))
    assert "tiếng Việt" in accepted["plain_text"]
    assert "Nguồn:" in one_reply(emu, emu.send_command("ask", Q_WHEN, mention_bot=True, chat=group,
                                                         user=member))["plain_text"]


@pytest.mark.parametrize("text, language_code, start", [
    ("hello", "en", "Hello!"), ("Xin chào!", "en", "Xin chào!"), ("thanks", "vi", "You are welcome!"),
    ("cảm ơn", "en", "Không có gì!"), ("help", "en", "Ask me a question"),
])
def test_greetings_thanks_and_help_get_a_friendly_reply(emu, bot, text, language_code, start):
    user = new_user(language_code=language_code)
    reply = one_reply(emu, emu.send_private_message(text, user=user), user=user)
    assert reply["plain_text"].startswith(start)
    assert reply["plain_text"].count("\n• ") == 2, "two example questions"
    assert NOT_SAID not in reply["plain_text"] and not labels(reply)


# ---------------------------------------------- 13b. conversation (issue #20)
@pytest.mark.parametrize("greeted, plain", [("hi there, who met whom?", "Who met whom?"),
                                            ("chào bạn, ai hội đàm với Khuong Sreng?", "ai hội đàm với Khuong Sreng?")])
def test_a_greeting_before_a_question_is_dropped(emu, bot, greeted, plain):
    user = new_user()
    expected = reply_to(emu, emu.send_private_message(plain, user=user))
    answer = reply_to(emu, emu.send_private_message(greeted, user=user))
    assert answer["text"] == expected["text"] and NOT_SAID not in answer["plain_text"]


def test_small_talk_and_presses_are_not_rate_limited_and_the_warning_is_in_the_askers_language(emu, bot):
    """10 questions a minute (the default): a Vietnamese writer whose Telegram is in English said
    thanks, pressed a button, and was warned in English; then everything was silent."""
    user = new_user(language_code="en")
    chat = private_chat(user)
    answer = reply_to(emu, emu.send_private_message("Ai hội đàm với Khuong Sreng?", user=user))
    for text in ("xin chào", "cảm ơn", "cảm ơn nhiều"):
        assert not reply_to(emu, emu.send_private_message(text, user=user))["plain_text"].startswith("Bạn hỏi nhanh")
    after = last_id(emu, user["id"])
    emu.press_button(answer, labels(answer)[-1], user=user)  # a follow-up, answered without counting
    emu.wait_for_messages(user["id"], 1, after_message_id=after, timeout=REPLY_TIMEOUT)
    for _ in range(9):  # the other nine questions of the minute
        assert NOT_SAID not in reply_to(emu, emu.send_private_message("Đại sứ Việt Nam tại Campuchia là ai?",
                                                                      user=user))["plain_text"]
    warning = reply_to(emu, emu.send_private_message("Hai bên đã nhất trí những gì?", user=user))
    assert warning["plain_text"].startswith("Bạn hỏi nhanh quá")
    silent = emu.send_private_message("Ai là đại sứ?", user=user)
    emu.assert_no_messages(chat["id"], after_message_id=silent["message_id"], wait=2)


STICKER = {"file_id": "s1", "file_unique_id": "s1", "type": "regular", "width": 1, "height": 1,
           "is_animated": False, "is_video": False}


@pytest.mark.parametrize("language_code, start", [("en", "I read only text"), ("vi", "Tôi chỉ đọc được tin nhắn chữ")])
def test_a_sticker_or_voice_note_in_private_gets_one_line_and_in_a_group_nothing(emu, bot, language_code, start):
    user = new_user(language_code=language_code)
    for media in ({"sticker": STICKER}, {"voice": {"file_id": "v1", "file_unique_id": "v1", "duration": 2}}):
        sent = emu.send_update({"message": {"from": user, "chat": private_chat(user), **media}})["message"]
        [line] = emu.wait_for_reply(sent, timeout=REPLY_TIMEOUT)
        assert line["plain_text"].startswith(start) and "\n" not in line["plain_text"]
    group = new_group()
    sent = emu.send_update({"message": {"from": user, "chat": group, "sticker": STICKER}})["message"]
    assert replies_before_barrier(emu, group, sent["message_id"]) == []


def test_follow_up_buttons_are_only_those_the_engine_answers(emu, bot):
    """Issue #20: under "Who met whom in Hanoi?", [What was agreed?] led to "the articles do not
    say" and [Where?] to a sentence naming no place."""
    user = new_user()
    answer = reply_to(emu, emu.send_private_message("Who met whom in Hanoi?", user=user))
    follow_ups = [label for label in labels(answer) if label.endswith("?")]
    assert "What was agreed?" not in follow_ups and "When?" in follow_ups
    for label in follow_ups:
        after = last_id(emu, user["id"])
        emu.press_button(answer, label, user=user)
        [follow] = emu.wait_for_messages(user["id"], 1, after_message_id=after, timeout=REPLY_TIMEOUT)
        assert follow["text"].startswith("<b>") and NOT_SAID not in follow["plain_text"]  # a date, a place


# ------------------------------------------------ 14. no network, revoked token
def test_no_network_is_one_line_and_a_non_zero_exit(tmp_path):
    env = bot_environment(None, tmp_path, TELEGRAM_BOT_TOKEN=TOKEN,
                          TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{free_port()}/bot")
    quiet = subprocess.run([sys.executable, "-m", "bot", "telegram"], cwd=tmp_path, env=env,
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert quiet.returncode == 1
    assert quiet.stderr.strip().splitlines() == [
        "error: cannot reach the Bot API (NetworkError); check the network or TELEGRAM_API_BASE_URL"]
    verbose = subprocess.run([sys.executable, "-m", "bot", "telegram", "--verbose"], cwd=tmp_path, env=env,
                             stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert verbose.returncode == 1 and "Traceback" in verbose.stderr
    assert_token_not_in(quiet.stderr + verbose.stderr)


def test_a_revoked_token_is_one_line_and_exit_code_2(fresh_emu, tmp_path):
    fresh_emu.set_response("getMe", error_code=401, description="Unauthorized")
    done = subprocess.run([sys.executable, "-m", "bot", "telegram"], cwd=tmp_path,
                          env=bot_environment(fresh_emu, tmp_path), stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: Telegram rejected the token in TELEGRAM_BOT_TOKEN"]


# ---------------------------------------- 7 (end). every message of the run
def test_every_message_of_the_run_fits_telegrams_limit(emu, bot):
    """Runs last in the module: everything the shared bot sent in the other tests."""
    messages = emu.sent_messages()
    assert messages
    for message in messages:
        assert len(message["text"] or "") <= TELEGRAM_LIMIT, message["text"][:200]
        assert utf16_len(message["plain_text"] or "") <= TELEGRAM_LIMIT
        if message["parse_mode"] == "HTML":
            assert html_problems(message["text"]) == [], message["text"]
