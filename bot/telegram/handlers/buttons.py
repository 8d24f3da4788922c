"""Presses of the buttons under an answer: a cited paragraph, the other language, a follow-up.

What a button carries and the keyboard itself are `bot.telegram.buttons`; this module
only acts on a press.
"""
from __future__ import annotations

import dataclasses
import logging
from functools import partial

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes

from ...engine.conversation import LANGUAGE_CHOICES
from ...render import full_text, message, paragraph_text
from ..buttons import FOLLOW_UPS, parse
from ..delivery import in_chat_order, send
from ..deps import Deps, chat_language
from .questions import answer as answer_question

log = logging.getLogger("citebot.telegram")


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    """A button under an answer. The press is acknowledged first, within Telegram's time
    limit; a button of an answer this process does not hold (sent before a restart) says
    so; data the bot never sent is only acknowledged."""
    query = update.callback_query
    press = parse(query.data)
    answer = deps.buttons.get(press.key) if press else None
    msg = query.message if isinstance(query.message, Message) else None
    stale = press is not None and (answer is None or msg is None)
    try:
        await query.answer(message("stale_button", chat_language(update, context)) if stale else None,
                           show_alert=stale)
    except TelegramError:
        pass
    if answer is None or msg is None:
        log.info("handled update %s: button=%s stale=%s", update.update_id, press and press.action, stale)
        return
    if press.action == "p" and press.argument.isdigit() and 1 <= int(press.argument) <= len(answer.citations):
        n = int(press.argument)
        await send(msg, paragraph_text(answer, n, html=True), paragraph_text(answer, n))
    elif press.action == "l" and press.argument in LANGUAGE_CHOICES[:2]:
        shown = dataclasses.replace(answer, language=press.argument)
        await send(msg, full_text(shown, html=True), full_text(shown), deps.buttons.keyboard(press.key, shown.language),
                   replace=(msg.message_id,))
    elif press.action == "f" and any(press.argument in kinds for kinds in FOLLOW_UPS.values()):
        question = message("follow_up_question", answer.language, kind=press.argument)
        await answer_question(update, context, deps, question, under=msg, topic=answer.topic)
        return
    log.info("handled update %s: button=%s", update.update_id, press.action)


def register(application: Application, deps: Deps) -> None:
    application.add_handler(CallbackQueryHandler(in_chat_order(deps.chat_locks, partial(on_callback, deps=deps))))
