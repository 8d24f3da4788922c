"""The PTB application: built once, with every handler module registered on one `Deps`."""
from __future__ import annotations

from functools import partial
from pathlib import Path

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, PersistenceInput, PicklePersistence

from ..engine import AnswerEngine
from .deps import Deps, TelegramSettings
from .handlers import admin, articles, buttons, commands, errors, questions

CONCURRENT_UPDATES = 64  # chats are served side by side; each chat in order


def build_application(engine: AnswerEngine, token: str, *, base_url: str | None = None,
                      state_file: Path | None = None, settings: TelegramSettings | None = None, request=None,
                      rate_limit: bool = True) -> Application:
    """The PTB application; `request` lets tests run it offline."""
    deps = Deps(engine, settings or TelegramSettings())
    # post_init runs only under run_polling; webhook mode calls it through serve(on_start=...).
    builder = (ApplicationBuilder().token(token).post_init(partial(commands.post_init, deps=deps))
               .concurrent_updates(CONCURRENT_UPDATES))
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.rstrip("/").removesuffix("bot") + "file/bot")
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if state_file:
        state_file.parent.mkdir(parents=True, exist_ok=True)
        builder = builder.persistence(PicklePersistence(
            state_file, store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=False,
                                                   callback_data=False), update_interval=5))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    for module in (articles, questions, admin, buttons, commands):  # commands last: see handlers/__init__.py
        module.register(application, deps)
    errors.register(application)
    return application
