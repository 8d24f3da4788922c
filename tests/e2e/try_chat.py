"""Chat with the bot as a Telegram user would, with no Telegram account and no network.

    python3 tests/e2e/try_chat.py [--docs DIR]

Starts the Bot API emulator and `python -m bot telegram` on 127.0.0.1, then reads
your lines and shows the bot's replies. A line starting with "group:" is sent in a
group chat instead ("group: @CiteBot who met whom?", "group: /ask when?"). The buttons
under the last answer are listed; "press: When?" presses one.
Ctrl-D or /quit stops both processes.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.emulator_client import DEFAULT_GROUP, TelegramEmulator  # noqa: E402

BOT_USERNAME = "CiteBot"


def send(emulator: TelegramEmulator, line: str) -> dict:
    """Send a line as a user: in a group when it starts with "group:", with the entities Telegram adds."""
    if not line.startswith("group:"):
        text, chat = line, None
    else:
        text, chat = line[len("group:"):].strip(), DEFAULT_GROUP
    if text.startswith("/"):
        command, _, args = text.partition(" ")
        name, _, target = command[1:].partition("@")
        return emulator.send_command(name, args, mention_bot=target or False, chat=chat)
    mention = re.search(r"@\w+", text)
    if chat and mention:
        return emulator.send_mention(text, chat=chat, username=mention.group())
    return emulator.send_message(text, chat=chat) if chat else emulator.send_private_message(text)


def show(reply: dict) -> None:
    print(f"bot> {reply['plain_text']}")
    labels = [b["text"] for row in (reply.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
    if labels:
        print(f"     [{' | '.join(labels)}]")


def press(emulator: TelegramEmulator, answer: dict | None, label: str) -> None:
    """Press a button of the last answer: what it sends, or the answer as the button edited it."""
    if answer is None:
        print("(no buttons to press)")
        return
    after = emulator.sent_messages(answer["chat_id"])[-1]["message_id"]
    emulator.press_button(answer, label)
    try:
        for reply in emulator.wait_for_messages(answer["chat_id"], 1, after_message_id=after, timeout=3):
            show(reply)
    except TimeoutError:  # the button edited the answer in place
        [edited] = [m for m in emulator.sent_messages(answer["chat_id"]) if m["message_id"] == answer["message_id"]]
        show(edited)


def main() -> int:
    state = Path(tempfile.mkdtemp(prefix="citebot-try-"))
    with TelegramEmulator(bot_username=BOT_USERNAME) as emulator:
        env = {**os.environ, **emulator.bot_env(), "BOT_STATE_FILE": str(state / "chats.pickle")}
        log = open(state / "bot.log", "w")
        bot = subprocess.Popen([sys.executable, "-m", "bot", "telegram", *sys.argv[1:]], env=env, cwd=ROOT,
                               stdout=log, stderr=log)
        try:
            emulator.wait_until_polling(process=bot)
            print(f"Emulator on {emulator.base_url}, bot @{BOT_USERNAME} running (log: {state / 'bot.log'}).")
            print('Type a question; prefix "group:" to speak in a group; "press: <button>"; /quit to stop.')
            answer = None  # the last reply with buttons
            while True:
                try:
                    line = input("you> ").strip()
                except EOFError:
                    break
                if line in ("/quit", "/exit"):
                    break
                if not line:
                    continue
                if line.startswith("press:"):
                    press(emulator, answer, line[len("press:"):].strip())
                    continue
                sent = send(emulator, line)
                try:
                    replies = emulator.wait_for_reply(sent, timeout=3)
                except TimeoutError:  # nothing came: in a group that is how chatter is treated
                    print("(no reply)")
                    continue
                for reply in replies:
                    show(reply)
                    answer = reply if reply.get("reply_markup") else answer
        finally:
            bot.terminate()
            bot.wait(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
