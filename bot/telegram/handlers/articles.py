"""Articles from Telegram, for the user ids in BOT_ADMIN_IDS: a file or a link adds one, /remove takes one out.

In a private chat an admin's document, or a message that is only a link, is added; others
who send one are told that only admins add articles. In a group only an admin's `/add`, as a
reply to a file or a link, adds. The work is `bot.library`'s, as for `python -m bot add`, and
runs in a worker thread, so other chats are answered while a page is fetched. These handlers
run before the others (group -1) and stop the update there: a link is not also a question.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from functools import partial
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler,
                          ContextTypes, MessageHandler, filters)

from ... import config
from ...library import LINK, SourceError, add, add_bytes, is_link, remove, too_large
from ...render import message, shorten
from ..delivery import deliver, in_chat_order, reply, send
from ..deps import Deps, chat_language
from . import NEW_MESSAGES

log = logging.getLogger("citebot.telegram")
GROUP = -1  # before the questions: a link an admin sends is added, not asked
MAX_REMOVE_BUTTONS = 50


def _is_admin(update: Update, deps: Deps) -> bool:
    return bool(update.effective_user) and update.effective_user.id in deps.settings.admin_ids


async def on_file_or_link(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    """A document, or a message that is only a link, in a private chat."""
    if _is_admin(update, deps):
        await _add(update, context, deps, update.effective_message)
    else:
        await reply(update, context, "admins_add_articles")
    raise ApplicationHandlerStop


async def on_add(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    """/add as a reply to a file or to a message that is only a link."""
    source = update.effective_message.reply_to_message
    if not _is_admin(update, deps):
        await reply(update, context, "admins_add_articles")
    elif source is None or not (source.document or is_link(source.text or "")):
        await reply(update, context, "add_usage")
    else:
        await _add(update, context, deps, source)
    raise ApplicationHandlerStop


async def _add(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps, source: Message) -> None:
    docs, limit = deps.settings.docs_dir or config.DEFAULT_DOCS, deps.settings.index.max_article_bytes
    try:
        if source.document:
            name = source.document.file_name or "the file"
            if (source.document.file_size or 0) > limit:
                raise SourceError(too_large(name, source.document.file_size, limit))
            raw = bytes(await (await source.document.get_file()).download_as_bytearray())
            added = await asyncio.to_thread(add_bytes, raw, Path(name).suffix, docs, name)
        else:
            added = await asyncio.to_thread(add, source.text.strip(), docs, limit)
    except SourceError as exc:
        await reply(update, context, "article_not_added", reason=str(exc))
        return
    except TelegramError as exc:
        await reply(update, context, "article_not_added", reason=f"the file could not be downloaded ({exc})")
        return
    log.info("article %s by an admin: %s", "added" if added.new else "already there", added.path.name)
    deps.engine.refresh()
    await reply(update, context, "article_added", a=added)


def _key(doc_id: str) -> str:
    """A short stand-in for an article in a button's data, which Telegram limits to 64 bytes."""
    return hashlib.sha1(doc_id.encode()).hexdigest()[:12]


async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    """/remove: the articles as buttons; pressing one asks for a confirmation."""
    if not _is_admin(update, deps):
        await reply(update, context, "not_allowed")
        raise ApplicationHandlerStop
    articles = deps.engine.articles
    shown = articles[:MAX_REMOVE_BUTTONS]
    language = chat_language(update, context)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(shorten(a.title, 60), callback_data=f"rm {_key(a.doc_id)}")]
                                     for a in shown]) if shown else None
    values = {"count": len(articles), "shown": len(shown)}
    await send(update.effective_message, message("remove_choose", language, html=True, **values),
               message("remove_choose", language, **values), keyboard)
    raise ApplicationHandlerStop


async def on_remove_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    """A press under /remove's list: the article ("rm"), then yes ("rmy") or cancel ("rmn")."""
    query = update.callback_query
    action, _, key = query.data.partition(" ")
    language = chat_language(update, context)
    if not _is_admin(update, deps):
        await query.answer(message("not_allowed", language), show_alert=True)
        raise ApplicationHandlerStop
    await query.answer()
    article = next((a for a in deps.engine.articles if _key(a.doc_id) == key), None)
    keyboard = None
    if action == "rmn":
        text = partial(message, "remove_cancelled", language)
    elif article is None:
        text = partial(message, "remove_gone", language)
    elif action == "rm":
        text = partial(message, "remove_confirm", language, title=article.title)
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(message("button_remove_yes", language), callback_data=f"rmy {key}"),
            InlineKeyboardButton(message("button_cancel", language), callback_data=f"rmn {key}")]])
    else:
        try:
            await asyncio.to_thread(remove, article.doc_id, deps.settings.docs_dir or config.DEFAULT_DOCS)
            deps.engine.refresh()
            text = partial(message, "removed", language, title=article.title)
        except SourceError:  # taken out meanwhile
            text = partial(message, "remove_gone", language)
    await deliver(lambda: query.edit_message_text(text(html=True), parse_mode=ParseMode.HTML, reply_markup=keyboard),
                  "edit")
    raise ApplicationHandlerStop


def register(application: Application, deps: Deps) -> None:
    ordered = lambda handler: in_chat_order(deps.chat_locks, partial(handler, deps=deps))  # noqa: E731
    private = NEW_MESSAGES & filters.ChatType.PRIVATE
    application.add_handler(MessageHandler(private & (filters.Document.ALL | filters.Regex(LINK)),
                                           ordered(on_file_or_link)), group=GROUP)
    application.add_handler(CommandHandler("add", ordered(on_add), filters=NEW_MESSAGES), group=GROUP)
    application.add_handler(CommandHandler("remove", ordered(on_remove), filters=NEW_MESSAGES), group=GROUP)
    application.add_handler(CallbackQueryHandler(ordered(on_remove_button), pattern=r"^rm[yn]? "), group=GROUP)
