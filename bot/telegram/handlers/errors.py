"""When handling an update fails: log it with its traceback, and apologise to the asker."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError, TimedOut
from telegram.ext import Application, ContextTypes

from ...render import message
from ..delivery import deliver
from ..deps import chat_language

log = logging.getLogger("citebot.telegram")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_message is None:
        return
    if isinstance(context.error, (Forbidden, TimedOut)):
        return  # blocked: nobody to apologise to; timed out: the answer may well have arrived
    try:
        language = chat_language(update, context)
        await deliver(lambda: update.effective_message.reply_text(message("apology", language)), "apology")
    except TelegramError:
        log.warning("could not send the apology either")


def register(application: Application) -> None:
    application.add_error_handler(on_error)
