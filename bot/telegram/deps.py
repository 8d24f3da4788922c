"""What every handler module is handed: the engine, the chats' state and the settings.

One `Deps` instead of one class of handlers, so that each handler module takes only
what it uses and a test can build the adapter around any `AnswerEngine`.
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from index.options import IndexOptions

from .. import config
from ..engine import AnswerEngine
from ..engine.conversation import DEFAULT_CONTEXT_MINUTES, Conversation
from .buttons import AnswerButtons
from .ratelimit import UserRateLimit


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
    member of a group, in memory; `engine` is replaced by /reload."""

    engine: AnswerEngine
    settings: TelegramSettings = field(default_factory=TelegramSettings)
    conversations: dict[tuple[int, int], Conversation] = field(default_factory=dict)
    # Updates run concurrently; a lock per chat keeps each chat's replies in order.
    chat_locks: defaultdict[int, asyncio.Lock] = field(default_factory=lambda: defaultdict(asyncio.Lock))
    buttons: AnswerButtons = field(default_factory=AnswerButtons)

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


def chat_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The language of the bot's own messages: the chat's /lang choice, else the sender's."""
    chosen = context.chat_data.get("lang", "auto") if context.chat_data is not None else "auto"
    return chosen if chosen in ("vi", "en") else user_language(update)
