"""What every handler module is handed: the engine, the chats' state and the settings.

One `Deps` instead of one class of handlers, so that each handler module takes only
what it uses and a test can build the adapter around any `AnswerEngine`.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from index.language import detect
from index.options import IndexOptions

from .. import config
from ..engine import AnswerEngine
from ..engine.conversation import DEFAULT_CONTEXT_MINUTES, Conversation
from .buttons import AnswerButtons
from .ratelimit import UserRateLimit
from .recent import Recent

KEPT_REPLIES = 5000  # questions whose answer is edited in place when the question is edited


@dataclass
class TelegramSettings:
    """The part of `config.Settings` the handlers use; the rate limit is stateful, so not frozen."""

    context_minutes: float = DEFAULT_CONTEXT_MINUTES
    user_rate: UserRateLimit = field(default_factory=lambda: UserRateLimit(10, 60))
    admin_ids: frozenset[int] = frozenset()
    docs_dir: Path | None = None
    index_dir: Path | None = None
    backend: str = "auto"
    index: IndexOptions = IndexOptions()

    @classmethod
    def from_config(cls, settings: config.Settings) -> TelegramSettings:
        return cls(settings.context_minutes, UserRateLimit(*settings.user_rate), settings.admin_ids,
                   settings.docs_dir, settings.index_dir, settings.backend, settings.index)


@dataclass
class Deps:
    """One running bot's state: one Conversation (follow-up topic) per private chat and per
    member of a group, in memory; `engine` is replaced by /reload. `replies` holds which bot
    messages answered a question, by (chat id, question message id).

    The engine runs on one worker thread of its own: the event loop stays free to deliver
    other chats' answers while it works, and the engine never runs twice at once (the
    Xapian reader is not safe to share between threads; an answer takes milliseconds)."""

    engine: AnswerEngine
    settings: TelegramSettings = field(default_factory=TelegramSettings)
    conversations: dict[tuple[int, int], Conversation] = field(default_factory=dict)
    # Updates run concurrently; a lock per chat keeps each chat's replies in order.
    chat_locks: defaultdict[int, asyncio.Lock] = field(default_factory=lambda: defaultdict(asyncio.Lock))
    buttons: AnswerButtons = field(default_factory=AnswerButtons)
    replies: Recent = field(default_factory=lambda: Recent(KEPT_REPLIES))
    worker: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="citebot-engine"))

    async def off_loop(self, function, *args, **kwargs):
        """`function(*args, **kwargs)` on the engine's worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self.worker, partial(function, *args, **kwargs))

    def conversation(self, update: Update, chat_data: dict) -> Conversation:
        """The asker's conversation: the chat's in private, the member's own in a group."""
        chat, user = update.effective_chat, update.effective_user
        key = (chat.id, user.id if user and chat.type != ChatType.PRIVATE else 0)
        conv = self.conversations.get(key)
        if conv is None:
            conv = self.conversations[key] = Conversation(context_seconds=self.settings.context_minutes * 60)
        conv.language = chat_data.get("lang", "auto")
        return conv


def user_language(update: Update) -> str:
    """The sender's Telegram language, Vietnamese or English."""
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "vi" if code.lower().startswith("vi") else "en"


def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str = "") -> str:
    """The language of the bot's own messages: the chat's /lang choice, else the language of
    `text` (what the user just wrote), else the sender's Telegram language."""
    chosen = context.chat_data.get("lang", "auto") if context.chat_data is not None else "auto"
    return chosen if chosen in ("vi", "en") else detect(text, user_language(update))
