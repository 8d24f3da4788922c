"""The console adapter: the same answers the Telegram bot sends, in a terminal.

Interactive on a terminal (line editing and history through readline); one
question per line, one answer each, when stdin is a pipe or a file. Where Telegram
has a button for the whole cited paragraph, the console has /more and /1, /2, ...
"""
from __future__ import annotations

import json
import sys

from .config import cache_dir
from .engine.conversation import LANGUAGE_CHOICES, Conversation
from .engine.warm import warm
from .render import full_text, message, paragraph_text, to_json

PROMPT = "? "


def _setup_readline() -> None:
    try:
        import readline
    except ImportError:  # not on every platform; the prompt still works without it
        return
    history = cache_dir() / "console_history"
    try:
        history.parent.mkdir(parents=True, exist_ok=True)
        if history.exists():
            readline.read_history_file(history)
    except OSError:
        pass
    readline.set_history_length(1000)
    import atexit

    def save() -> None:
        try:
            readline.write_history_file(history)
        except OSError:
            pass

    atexit.register(save)


def handle_line(engine, conversation: Conversation, line: str, json_lines: bool) -> str | None:
    """The reply to one console line, or None to quit.

    With `json_lines` every line gets one JSON line, so that a script piping questions never
    loses its place: an answer's object, or {"command": ..., "text": ...} for a command, a
    blank line counting as the command "" (its text asks for a question).
    """
    line = line.strip()
    if line and not line.startswith("/"):
        answer = conversation.ask(engine, line)
        return json.dumps(to_json(answer), ensure_ascii=False) if json_lines else full_text(answer)
    command, _, rest = line.partition(" ")
    command = command.lower()
    reply = _command(engine, conversation, command, rest)
    if json_lines and reply is not None:
        return json.dumps({"command": command, "text": reply}, ensure_ascii=False)
    return reply


def _command(engine, conversation: Conversation, command: str, rest: str) -> str | None:
    """The reply to a command ("" for a blank line), or None to quit."""
    language = conversation.language if conversation.language != "auto" else conversation.spoken or "en"
    if command in ("/quit", "/exit"):
        return None
    if not command:
        return full_text(conversation.ask(engine, ""))
    if command == "/help":
        return message("help", language)
    if command == "/sources":
        return message("article_list", language, articles=engine.articles)
    if command == "/new":
        conversation.reset()
        return message("new_topic", language)
    if command == "/lang":
        choice = rest.strip().lower()
        if choice not in LANGUAGE_CHOICES:
            return message("lang_usage", language)
        conversation.language = choice
        return message("lang_set", choice if choice != "auto" else language, choice=choice)
    if command == "/more" or command[1:].isdigit():
        return _paragraphs(conversation, command, language)
    return message("unknown_command", language, command=command)


def _paragraphs(conversation: Conversation, command: str, language: str) -> str:
    """/more: every paragraph the last answer cites; /N: its paragraph [N]."""
    answer = conversation.cited
    count = len(answer.citations) if answer else 0
    wanted = range(1, count + 1) if command == "/more" else [int(command[1:])]
    if not count or not all(1 <= n <= count for n in wanted):
        return message("more_usage", language, count=count)
    return "\n\n".join(paragraph_text(answer, n) for n in wanted)


def run(engine, json_lines: bool = False, context_minutes: float = 30.0) -> int:
    conversation = Conversation(context_seconds=context_minutes * 60)
    warm()
    interactive = sys.stdin.isatty()
    if interactive:
        _setup_readline()
        print(f"{len(engine.articles)} articles, {engine.stats().paragraphs} paragraphs. "
              "Ask a question in English or Vietnamese; /help for commands, /quit or Ctrl-D to leave.")
    while True:
        try:
            line = input(PROMPT) if interactive else sys.stdin.readline()
        except EOFError:
            break
        except KeyboardInterrupt:
            print()
            continue
        if not interactive and line == "":
            break
        if not line.strip() and not json_lines:
            continue
        reply = handle_line(engine, conversation, line, json_lines)
        if reply is None:
            if json_lines:  # the line that quits gets its line too
                print(json.dumps({"command": line.split()[0].lower(), "text": ""}, ensure_ascii=False), flush=True)
            break
        print(reply)
        if not json_lines:
            print()
        sys.stdout.flush()
    return 0
