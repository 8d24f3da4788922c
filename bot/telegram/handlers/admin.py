"""/reload: re-index the articles without a restart, only for the user ids in BOT_ADMIN_IDS."""
from __future__ import annotations

import asyncio
import time
from functools import partial

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from ... import config
from ..delivery import in_chat_order, reply
from ..deps import Deps
from . import NEW_MESSAGES


async def on_reload(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    user = update.effective_user
    if not user or user.id not in deps.settings.admin_ids:
        await reply(update, context, "not_allowed")
        return
    from ...live import LiveEngine

    started = time.perf_counter()
    settings = deps.settings
    engine = await asyncio.to_thread(LiveEngine, settings.docs_dir or config.DEFAULT_DOCS,
                                     settings.index_dir, settings.backend, settings.index)
    deps.engine = engine
    await reply(update, context, "reloaded", articles=len(engine.articles),
                paragraphs=engine.stats().paragraphs, seconds=round(time.perf_counter() - started, 2),
                problems=engine.stats().problems)


def register(application: Application, deps: Deps) -> None:
    application.add_handler(CommandHandler("reload", in_chat_order(deps.chat_locks, partial(on_reload, deps=deps)),
                                           filters=NEW_MESSAGES))
