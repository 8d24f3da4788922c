"""Questions: every text in a private chat; in a group /ask, mentions and replies to the bot.

Groups run in privacy mode, so the bot sees only what is addressed to it; what it
sees that is not (chatter, other bots' mentions) gets no reply.
"""
from __future__ import annotations

import logging
import re
import time
from functools import partial

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from ...engine.answer import Topic
from ...render import full_text
from ..delivery import in_chat_order, reply, send
from ..deps import Deps, user_language
from . import NEW_MESSAGES

log = logging.getLogger("citebot.telegram")


def addressed_question(msg: Message, bot) -> str | None:
    """The question in a group message meant for the bot, or None for other chatter."""
    text = msg.text or ""
    username = (bot.username or "").lower()
    mentioned = False
    for entity, value in msg.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and value.lower() == f"@{username}":
            mentioned = True
        elif entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            mentioned = True
            text = text.replace(value, " ")
    if mentioned:
        return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    replied = msg.reply_to_message
    if replied and replied.from_user and replied.from_user.id == bot.id:
        return text
    return None


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps, question: str,
                 msg: Message | None = None, topic: Topic | None = None) -> None:
    """Answer `question` under `msg` (the asking message, or the answer whose follow-up
    button was pressed, with that answer's `topic`), with the answer's buttons."""
    started = time.perf_counter()
    chat, user = update.effective_chat, update.effective_user
    msg = msg or update.effective_message
    rate = deps.settings.user_rate
    allowed, wait = rate.allow(user.id if user else chat.id)
    if not allowed:
        log.info("rate-limited update %s: chat=%s", update.update_id, chat.type)
        if rate.should_warn(user.id if user else chat.id):
            await reply(update, context, "slow_down", seconds=max(1, round(wait)))
        return
    try:
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    except TelegramError:
        pass  # the indicator is a courtesy; the answer matters
    conv = deps.conversation(update, context.chat_data)
    result = conv.ask(deps.engine, question, fallback_language=user_language(update), topic=topic)
    keyboard = deps.buttons.keyboard(result, deps.buttons.keep(result)) if result.citations else None
    await send(msg, full_text(result, html=True), full_text(result), keyboard)
    log.info("answered update %s: chat=%s lang=%s kind=%s answered=%s latency_ms=%.1f",
             update.update_id, chat.type, result.language, result.kind, result.answered,
             (time.perf_counter() - started) * 1000)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    msg = update.effective_message
    if msg.chat.type == ChatType.PRIVATE:
        question = msg.text or msg.caption or ""
    else:
        question = addressed_question(msg, context.bot)
        if question is None:
            return
    await answer(update, context, deps, question)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    parts = (update.effective_message.text or "").split(maxsplit=1)
    await answer(update, context, deps, parts[1] if len(parts) > 1 else "")


def register(application: Application, deps: Deps) -> None:
    ask = in_chat_order(deps.chat_locks, partial(on_ask, deps=deps))
    text = in_chat_order(deps.chat_locks, partial(on_text, deps=deps))
    application.add_handler(CommandHandler("ask", ask, filters=NEW_MESSAGES))
    application.add_handler(MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND, text))
    # A photo's caption is a question in a private chat; other media and service messages are ignored.
    application.add_handler(MessageHandler(NEW_MESSAGES & filters.CAPTION & filters.ChatType.PRIVATE, text))
