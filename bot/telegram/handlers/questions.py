"""Questions: every text in a private chat; in a group /ask, mentions and replies to the bot.

Groups run in privacy mode, so the bot sees only what is addressed to it; what it
sees that is not (chatter, other bots' mentions) gets no reply. An edited question
gets its answer edited in place. In a private chat, what is not text (a sticker, a
voice note, a photo without caption) gets one line saying that the bot reads text.
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

from ...engine.answer import Answer, Topic
from ...engine.conversation import Conversation
from ...engine.smalltalk import small_talk
from ...render import full_text
from ..buttons import follow_ups
from ..delivery import in_chat_order, reply, send
from ..deps import Deps, user_language
from . import NEW_MESSAGES

log = logging.getLogger("citebot.telegram")
# Questions are answered again when edited; commands other than /ask are not run again.
QUESTIONS = NEW_MESSAGES | filters.UpdateType.EDITED_MESSAGE


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


async def within_limit(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps, text: str = "") -> bool:
    """Whether the sender may be answered now. Past the per-user limit they are told once per
    window, in the language they write in (`text`), and nothing more until it passes."""
    user, chat = update.effective_user, update.effective_chat
    rate = deps.settings.user_rate
    sender = user.id if user else chat.id
    allowed, wait = rate.allow(sender)
    if not allowed:
        log.info("rate-limited update %s: chat=%s", update.update_id, chat.type)
        if rate.should_warn(sender):
            await reply(update, context, "slow_down", text=text, seconds=max(1, round(wait)))
    return allowed


def _answer(deps: Deps, conv: Conversation, question: str, fallback_language: str,
            topic: Topic | None) -> tuple[Answer, tuple[str, ...]]:
    """The answer and the follow-ups worth a button under it; on the engine's worker thread."""
    result = conv.ask(deps.engine, question, fallback_language=fallback_language, topic=topic)
    return result, follow_ups(deps.engine, conv, result, fallback_language)


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps, question: str,
                 under: Message | None = None, topic: Topic | None = None) -> None:
    """Answer `question` under the asking message, with the answer's buttons; or, for a
    follow-up button, under the answer `under` whose button was pressed, with its `topic`.

    Small talk and button presses do not count against the per-user limit.
    """
    started = time.perf_counter()
    chat, msg = update.effective_chat, under or update.effective_message
    if under is None and small_talk(question) is None and not await within_limit(update, context, deps, question):
        return
    try:
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    except TelegramError:
        pass  # the indicator is a courtesy; the answer matters
    conv = deps.conversation(update, context.chat_data)
    result, follow = await deps.off_loop(_answer, deps, conv, question, user_language(update), topic)
    keyboard = deps.buttons.keyboard(deps.buttons.keep(result, follow)) if result.citations else None
    asked = (chat.id, msg.message_id)
    earlier = deps.replies.get(asked, ()) if update.edited_message and under is None else ()
    sent = await send(msg, full_text(result, html=True), full_text(result), keyboard, replace=earlier)
    if under is None:
        deps.replies[asked] = tuple(sent)
    log.info("answered update %s: chat=%s lang=%s kind=%s answered=%s edit=%s latency_ms=%.1f",
             update.update_id, chat.type, result.language, result.kind, result.answered, bool(earlier),
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


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    """A sticker, voice note, photo without caption, ... in a private chat."""
    if await within_limit(update, context, deps):
        await reply(update, context, "text_only")


def register(application: Application, deps: Deps) -> None:
    ask = in_chat_order(deps.chat_locks, partial(on_ask, deps=deps))
    text = in_chat_order(deps.chat_locks, partial(on_text, deps=deps))
    application.add_handler(CommandHandler("ask", ask, filters=QUESTIONS))
    application.add_handler(MessageHandler(QUESTIONS & filters.TEXT & ~filters.COMMAND, text))
    # A photo's caption is a question in a private chat; other media get one line there, and
    # service messages (members joining, ...) nothing.
    application.add_handler(MessageHandler(QUESTIONS & filters.CAPTION & filters.ChatType.PRIVATE, text))
    application.add_handler(MessageHandler(
        NEW_MESSAGES & filters.ChatType.PRIVATE & ~filters.TEXT & ~filters.CAPTION & ~filters.StatusUpdate.ALL,
        in_chat_order(deps.chat_locks, partial(on_not_text, deps=deps))))
