"""Getting a reply to the chat: in parts that fit, retried when that is safe, in chat order.

Every handler sends through here, so that flood control, transient faults, Telegram's
length limit and HTML it refuses are dealt with once.
"""
from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ContextTypes

from ..render import message
from .deps import chat_language
from .split import split_message

log = logging.getLogger("citebot.telegram")
SEND_ATTEMPTS = 4  # first try plus retries when the Bot API is down or the connection fails


def _may_not_have_arrived(exc: TelegramError) -> bool:
    """Whether a failed send is safe to repeat: the request surely did not deliver a message.

    A read timeout may have delivered it, so it is not repeated: a lost answer is logged,
    a doubled one would confuse the chat.
    """
    if isinstance(exc, TimedOut):
        return "connect" in type(exc.__cause__).__name__.lower() or "pool" in str(exc).lower()
    if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
        return True  # connection refused or dropped before an answer, and 5xx answers
    return False


async def deliver(send, what: str = "message"):
    """Call `send()` until it works, waiting out flood control and retrying transient faults."""
    delay = 0.5
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await send()
        except RetryAfter as exc:
            wait = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else exc.retry_after
            log.warning("flood control: waiting %.1f s before resending the %s", wait, what)
            await asyncio.sleep(wait)
        except TelegramError as exc:
            if attempt == SEND_ATTEMPTS or not _may_not_have_arrived(exc):
                raise
            log.warning("sending the %s failed (%s); retry %d in %.1f s", what, type(exc).__name__, attempt, delay)
            await asyncio.sleep(delay)
            delay *= 2
    return await send()


async def _put(msg: Message, text: str, parse_mode: str | None, markup: InlineKeyboardMarkup | None,
               replacing: int | None) -> int:
    """One part of a reply: edited into the bot's message `replacing`, else sent under `msg`; its id."""
    if replacing is not None:
        try:
            await deliver(lambda: msg.get_bot().edit_message_text(
                text, msg.chat_id, replacing, parse_mode=parse_mode, reply_markup=markup), "edit")
            return replacing
        except BadRequest as exc:
            if "not modified" in str(exc).lower():  # it already reads so
                return replacing
            if "not found" not in str(exc).lower():  # deleted meanwhile: sent anew below
                raise
    sent = await deliver(lambda: msg.reply_text(text, parse_mode=parse_mode, reply_markup=markup,
                                                do_quote=msg.chat.type != ChatType.PRIVATE), "reply")
    return sent.message_id


async def send(msg: Message, html: str, plain: str | None = None, keyboard: InlineKeyboardMarkup | None = None,
               replace: Sequence[int] = ()) -> list[int]:
    """Reply in parts that fit Telegram's limit; in groups each part quotes the question. The
    ids of the bot's messages.

    The keyboard goes under the last part. A part Telegram cannot parse as HTML is sent
    again as plain text. `replace` are the bot's messages of an earlier version of this
    reply (an edited question, a language switch): they are edited in place, parts beyond
    them are sent, and those left over deleted.
    """
    parts = [(part, ParseMode.HTML) for part in split_message(html)]
    plain_parts = split_message(plain) if plain is not None else []
    ids: list[int] = []
    while len(ids) < len(parts):
        n = len(ids)
        text, mode = parts[n]
        markup = keyboard if n == len(parts) - 1 else None
        try:
            ids.append(await _put(msg, text, mode, markup, replace[n] if n < len(replace) else None))
        except BadRequest as exc:
            if "parse entities" not in str(exc).lower() or not plain_parts or mode is None:
                raise
            log.warning("Telegram refused the HTML (%s); sending plain text", exc)
            parts = parts[:n] + [(text, None) for text in plain_parts[min(n, len(plain_parts) - 1):]]
    for left in replace[len(ids):]:
        try:
            await deliver(lambda left=left: msg.get_bot().delete_message(msg.chat_id, left), "deletion")
        except TelegramError as exc:
            log.warning("could not delete a part of an earlier answer (%s)", exc)
    return ids


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE, macro: str, *, text: str = "", **values) -> None:
    """Reply with one of the templates' messages, in the chat's language (or the language of
    `text`, what the user wrote, when the chat chose none)."""
    language = chat_language(update, context, text)
    await send(update.effective_message, message(macro, language, html=True, **values),
               message(macro, language, **values))
    log.info("handled update %s: chat=%s reply=%s lang=%s", update.update_id,
             update.effective_chat.type, macro, language)


def in_chat_order(locks: defaultdict[int, asyncio.Lock], callback):
    """Run a handler under its chat's lock: updates are handled concurrently, but a
    command never overtakes a question asked before it in the same chat."""
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        async with locks[chat.id if chat else 0]:
            await callback(update, context)
    return handle
