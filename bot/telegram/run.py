"""`python -m bot telegram`: check the token, set up logging that never shows it, then
poll or serve a webhook until stopped, and say with the exit status how it ended."""
from __future__ import annotations

import asyncio
import gc
import logging
import re
import sys

from telegram import Update
from telegram.error import InvalidToken, NetworkError

from .. import config
from .app import build_application
from .deps import TelegramSettings

TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
USER_ERRORS = config.USER_ERRORS
# Start-up retries of PTB that end the process anyway; they are followed by one line of ours.
BOOTSTRAP_LOG = "Network Retry Loop (Bootstrap"


class RedactToken(logging.Filter):
    """Replace the bot token wherever it would appear in a log line."""

    def __init__(self, token: str):
        super().__init__()
        # Case-insensitive: PTB capitalises error messages, which lowercases a quoted token.
        self.pattern = re.compile(re.escape(token), re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if self.pattern.search(text):
            record.msg, record.args = self.pattern.sub("<token>", text), None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            if self.pattern.search(formatted):
                record.exc_text = self.pattern.sub("<token>", formatted)
        return True


def _not_bootstrap(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(BOOTSTRAP_LOG)


def setup_logging(token: str, verbose: bool = False) -> None:
    """Log to stderr with the token redacted; PTB's failed start-up (its traceback) only when `verbose`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    if not verbose:
        handler.addFilter(_not_bootstrap)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    # At INFO these print every request URL, and the URL holds the token.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def run(args, settings: config.Settings) -> int:
    """`python -m bot telegram`: long polling, or a webhook with --webhook-url; the exit status.

    Args:
        args: the `telegram` subcommand's flags (webhook_url, listen, port, url_path, verbose).
        settings: everything else, read once by `bot.__main__`, the token included.
    """
    from ..engine.warm import warm
    from ..live import LiveEngine

    token = settings.telegram_token
    if not token:
        print("error: TELEGRAM_BOT_TOKEN is not set (put it in the environment or a .env file)", file=sys.stderr)
        return USER_ERRORS
    if not TOKEN_PATTERN.match(token):
        print("error: TELEGRAM_BOT_TOKEN is malformed: a bot token looks like 123456789:AAE... "
              "(digits, a colon, then letters)", file=sys.stderr)
        return USER_ERRORS
    secret = settings.webhook_secret
    if args.webhook_url and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        print("error: webhook mode needs TELEGRAM_WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -)", file=sys.stderr)
        return USER_ERRORS
    setup_logging(token, getattr(args, "verbose", False))
    encoder = None
    if settings.encoder:  # questions are encoded in the worker thread that answers them (deps.py)
        from index.vectors import cached_encoder

        encoder = cached_encoder()
    engine = LiveEngine(settings.docs_dir, settings.index_dir, settings.backend, settings.index, encoder)
    warm()  # the tables and patterns a first question would load and compile
    # What is loaded now lives as long as the bot: out of the collector's reach, a full
    # collection no longer walks it in the middle of an answer (tens of ms at 100k paragraphs).
    gc.freeze()
    application = build_application(
        engine, token, base_url=settings.telegram_api_base_url,
        state_file=settings.state_file, settings=TelegramSettings.from_config(settings))
    try:
        if args.webhook_url:
            from .webhook import serve

            asyncio.run(serve(application, listen=args.listen, port=args.port, url_path=args.url_path,
                              webhook_url=args.webhook_url, secret=secret, on_start=application.post_init))
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print("error: Telegram rejected the token in TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return USER_ERRORS
    except NetworkError as exc:
        print(f"error: cannot reach the Bot API ({type(exc).__name__}); check the network or "
              "TELEGRAM_API_BASE_URL", file=sys.stderr)
        return 1
    except OSError as exc:  # the webhook port is taken or not ours to use
        print(f"error: cannot listen on {args.listen}:{args.port} ({exc.strerror or exc})", file=sys.stderr)
        return 1
    return 0
