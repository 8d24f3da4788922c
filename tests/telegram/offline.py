"""The Telegram adapter offline: a real PTB Application whose Bot API calls land in a
recording request object (PTB's own technique), and the updates the tests send it.

Shared by the tests in this folder and by tests/test_properties.py.
"""
import contextlib
import json
import re

from telegram import Update
from telegram.request import BaseRequest

from bot.telegram.app import build_application
from bot.telegram.deps import TelegramSettings
from bot.telegram.ratelimit import UserRateLimit

TOKEN = "123456789:offline-test-token-abcdefghij"
BOT_ID, BOT_USERNAME = 123456789, "CiteBot"
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Cite", "username": BOT_USERNAME}
ALLOWED_TAGS = {"b", "i", "blockquote"}


class OfflineRequest(BaseRequest):
    """Answers the Bot API like Telegram would, and records every call."""

    def __init__(self, fail: dict | None = None, admins: frozenset[int] = frozenset()):
        self.calls: list[tuple[str, dict]] = []
        self.next_id = 5000
        self.fail = fail or {}
        self.admins = admins
        self.updates: list = []  # what the next getUpdates returns, then nothing

    @property
    def read_timeout(self):
        return 1.0

    async def initialize(self):
        pass

    async def shutdown(self):
        pass

    async def do_request(self, url, method, request_data=None, read_timeout=None, write_timeout=None,
                         connect_timeout=None, pool_timeout=None):
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append((name, params))
        if name in self.fail:
            status, description = self.fail.pop(name)
            return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()
        if name == "getMe":
            result = {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False,
                      "supports_inline_queries": False}
        elif name in ("sendMessage", "editMessageText"):
            self.next_id += 1
            result = {"message_id": params.get("message_id", self.next_id), "date": 0,
                      "chat": {"id": params["chat_id"], "type": "private"}, "from": BOT_USER, "text": params["text"]}
        elif name == "getUpdates":
            result, self.updates = self.updates, []
        elif name == "getChatMember":
            user = {"id": params["user_id"], "is_bot": False, "first_name": "Ann"}
            result = ({"status": "creator", "user": user, "is_anonymous": False} if params["user_id"] in self.admins
                      else {"status": "member", "user": user})
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self) -> list[dict]:
        return [params for name, params in self.calls if name == "sendMessage"]

    def called(self, method: str) -> list[dict]:
        return [params for name, params in self.calls if name == method]


@contextlib.asynccontextmanager
async def offline_app(engine, request: OfflineRequest, **kwargs):
    """A real PTB application over `engine`, talking only to `request`."""
    application = build_application(engine, TOKEN, request=request, rate_limit=False, **kwargs)
    await application.initialize()
    try:
        yield application
    finally:
        await application.shutdown()


_ids = iter(range(1, 10**6))


def message(text, chat_id=42, chat_type="private", language_code="en", reply_to_bot=False, edited=False,
            user_id=42):
    chat = {"id": chat_id, "type": chat_type}
    if chat_type != "private":
        chat["title"] = "Group"
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    for match in re.finditer(r"@\w+", text):
        entities.append({"type": "mention", "offset": match.start(), "length": len(match.group())})
    msg = {"message_id": next(_ids), "date": 0, "chat": chat, "text": text, "entities": entities,
           "from": {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": language_code}}
    if reply_to_bot:
        msg["reply_to_message"] = {"message_id": next(_ids), "date": 0, "chat": chat, "from": BOT_USER,
                                   "text": "an earlier answer"}
    if edited:
        msg["edit_date"] = 1
    return {"update_id": next(_ids), ("edited_message" if edited else "message"): msg}


async def send(app, **kwargs) -> list[dict]:
    before = len(app.test_request.sent())
    update = Update.de_json(message(**kwargs), app.bot)
    await app.process_update(update)
    return app.test_request.sent()[before:]


def well_formed(html: str) -> bool:
    stack = []
    for closing, tag in re.findall(r"<(/?)([a-zA-Z]+)[^>]*>", html):
        if tag not in ALLOWED_TAGS:
            return False
        if closing:
            if not stack or stack.pop() != tag:
                return False
        else:
            stack.append(tag)
    return not stack


def settings(**kwargs):
    kwargs.setdefault("user_rate", UserRateLimit(10, 60))
    return TelegramSettings(**kwargs)
