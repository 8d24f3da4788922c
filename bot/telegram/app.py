"""The PTB application: built once, with every handler module registered on one `Deps`."""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, PersistenceInput, PicklePersistence
from telegram.request import HTTPXRequest

from ..engine import AnswerEngine
from .deps import Deps, TelegramSettings
from .handlers import admin, articles, buttons, commands, errors, questions
from .connections import AnswerRequest, UpdatesRequest
from .ledger import LedgerProcessor, UpdateLedger

CONCURRENT_UPDATES = 64  # chats are served side by side; each chat in order
JOURNAL_SUFFIX = ".updates"  # the update journal (see ledger.py) lives beside the state file


class StatePersistence(PicklePersistence):
    """PTB's pickle of chat settings, written whole or not at all: a bot killed while saving
    keeps the settings saved before, instead of a cut file it cannot start from."""

    def _dump_singlefile(self) -> None:
        final = self.filepath
        self.filepath = final.with_name(final.name + ".tmp")
        try:
            super()._dump_singlefile()
            os.replace(self.filepath, final)
        finally:
            self.filepath = final


async def post_init(application: Application, deps: Deps, ledger: UpdateLedger) -> None:
    await ledger.replay(application)
    await commands.post_init(application, deps)


def build_application(engine: AnswerEngine, token: str, *, base_url: str | None = None,
                      state_file: Path | None = None, settings: TelegramSettings | None = None, request=None,
                      rate_limit: bool = True) -> Application:
    """The PTB application; `request` lets tests run it offline."""
    deps = Deps(engine, settings or TelegramSettings())
    ledger = UpdateLedger(state_file.with_name(state_file.name + JOURNAL_SUFFIX) if state_file else None)
    # post_init runs only under run_polling; webhook mode calls it through serve(on_start=...).
    builder = (ApplicationBuilder().token(token).post_init(partial(post_init, deps=deps, ledger=ledger))
               .concurrent_updates(LedgerProcessor(CONCURRENT_UPDATES, ledger))
               .request(AnswerRequest(request or HTTPXRequest(connection_pool_size=256), ledger))
               .get_updates_request(UpdatesRequest(request or HTTPXRequest(connection_pool_size=1), ledger)))
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.rstrip("/").removesuffix("bot") + "file/bot")
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if state_file:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        builder = builder.persistence(StatePersistence(
            state_file, store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=False,
                                                   callback_data=False), update_interval=5))
    application = builder.build()
    for module in (articles, questions, admin, buttons, commands):  # commands last: see handlers/__init__.py
        module.register(application, deps)
    errors.register(application)
    return application
