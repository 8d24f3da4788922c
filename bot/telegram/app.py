"""The Telegram adapter: updates in, the engine's answers out as escaped HTML.

With buttons.py, the only module that imports `telegram`. Private chats: every
text is a question. Groups (privacy mode on): only /ask, messages that @mention the bot
and replies to the bot's own messages are answered; edited messages never are. Each
member of a group has a follow-up context of their own.
"""
from __future__ import annotations

import asyncio
import dataclasses
import gc
import logging
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from telegram import BotCommand, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatMemberStatus, ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PersistenceInput,
    PicklePersistence,
    filters,
)

from index.options import IndexOptions

from .. import config
from ..engine.conversation import DEFAULT_CONTEXT_MINUTES, LANGUAGE_CHOICES, Conversation
from .ratelimit import UserRateLimit
from ..render import full_text, message, paragraph_text
from .split import split_message
from .buttons import FOLLOW_UPS, AnswerButtons, parse

log = logging.getLogger("citebot.telegram")
TOKEN_PATTERN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{20,}$")
USER_ERRORS = config.USER_ERRORS
# Only user messages, never edits: an edited question is not answered twice.
NEW_MESSAGES = filters.UpdateType.MESSAGE
SEND_ATTEMPTS = 4  # first try plus retries when the Bot API is down or the connection fails
CONCURRENT_UPDATES = 64  # chats are served side by side; each chat in order
# Start-up retries of PTB that end the process anyway; they are followed by one line of ours.
BOOTSTRAP_LOG = "Network Retry Loop (Bootstrap"


@dataclass
class TelegramSettings:
    context_minutes: float = DEFAULT_CONTEXT_MINUTES
    user_rate: UserRateLimit = field(default_factory=lambda: UserRateLimit(10, 60))
    admin_ids: frozenset[int] = frozenset()
    docs_dir: Path | None = None
    index_dir: Path | None = None
    backend: str = "auto"
    index: IndexOptions = IndexOptions()


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


def _user_language(update: Update) -> str:
    user = update.effective_user
    code = (user.language_code or "") if user else ""
    return "vi" if code.lower().startswith("vi") else "en"


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


class TelegramBot:
    """Handlers bound to one engine; one Conversation (follow-up topic) per private chat and
    per member of a group, in memory."""

    def __init__(self, engine, settings: TelegramSettings | None = None):
        self.engine = engine
        self.settings = settings or TelegramSettings()
        self.context_seconds = self.settings.context_minutes * 60
        self.conversations: dict[tuple[int, int], Conversation] = {}
        # Updates run concurrently; a lock per chat keeps each chat's replies in order.
        self.chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.buttons = AnswerButtons()

    # --- helpers -----------------------------------------------------------------
    def conversation(self, update: Update, chat_data: dict) -> Conversation:
        """The asker's conversation: the chat's in private, the member's own in a group."""
        chat, user = update.effective_chat, update.effective_user
        key = (chat.id, user.id if user and chat.type != ChatType.PRIVATE else 0)
        conv = self.conversations.get(key)
        if conv is None:
            conv = self.conversations[key] = Conversation(context_seconds=self.context_seconds)
        conv.language = chat_data.get("lang", "auto")
        return conv

    @staticmethod
    def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
        chosen = context.chat_data.get("lang", "auto") if context.chat_data is not None else "auto"
        return chosen if chosen in ("vi", "en") else _user_language(update)

    @staticmethod
    async def send(msg: Message, html: str, plain: str | None = None,
                   keyboard: InlineKeyboardMarkup | None = None) -> None:
        """Reply in parts that fit Telegram's limit; in groups each part quotes the question.

        The keyboard goes under the last part. A part Telegram cannot parse as HTML is sent
        again as plain text.
        """
        quote = msg.chat.type != ChatType.PRIVATE
        plain_parts = split_message(plain) if plain is not None else []
        parts = split_message(html)
        for n, part in enumerate(parts):
            markup = keyboard if n == len(parts) - 1 else None
            try:
                await deliver(lambda part=part, markup=markup: msg.reply_text(
                    part, parse_mode=ParseMode.HTML, do_quote=quote, reply_markup=markup), "reply")
            except BadRequest as exc:
                if "parse entities" not in str(exc).lower() or not plain_parts:
                    raise
                log.warning("Telegram refused the HTML (%s); sending plain text", exc)
                rest = plain_parts[min(n, len(plain_parts) - 1):]
                for i, text in enumerate(rest):
                    markup = keyboard if i == len(rest) - 1 else None
                    await deliver(lambda text=text, markup=markup: msg.reply_text(
                        text, do_quote=quote, reply_markup=markup), "reply")
                return

    def addressed_question(self, msg: Message, bot) -> str | None:
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

    async def answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str,
                     msg: Message | None = None, topic=None) -> None:
        """Answer `question` under `msg` (the asking message, or the answer whose follow-up
        button was pressed, with that answer's `topic`), with the answer's buttons."""
        started = time.perf_counter()
        chat, user = update.effective_chat, update.effective_user
        msg = msg or update.effective_message
        allowed, wait = self.settings.user_rate.allow(user.id if user else chat.id)
        if not allowed:
            log.info("rate-limited update %s: chat=%s", update.update_id, chat.type)
            if self.settings.user_rate.should_warn(user.id if user else chat.id):
                await self.reply(update, context, "slow_down", seconds=max(1, round(wait)))
            return
        try:
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
        except TelegramError:
            pass  # the indicator is a courtesy; the answer matters
        conv = self.conversation(update, context.chat_data)
        answer = conv.ask(self.engine, question, fallback_language=_user_language(update), topic=topic)
        keyboard = self.buttons.keyboard(answer, self.buttons.keep(answer)) if answer.citations else None
        await self.send(msg, full_text(answer, html=True), full_text(answer), keyboard)
        log.info("answered update %s: chat=%s lang=%s kind=%s answered=%s latency_ms=%.1f",
                 update.update_id, chat.type, answer.language, answer.kind, answer.answered,
                 (time.perf_counter() - started) * 1000)

    # --- handlers ----------------------------------------------------------------
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        if msg.chat.type == ChatType.PRIVATE:
            question = msg.text or msg.caption or ""
        else:
            question = self.addressed_question(msg, context.bot)
            if question is None:
                return
        await self.answer(update, context, question)

    async def on_ask(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        parts = (update.effective_message.text or "").split(maxsplit=1)
        await self.answer(update, context, parts[1] if len(parts) > 1 else "")

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        name = update.effective_user.first_name if update.effective_user else ""
        await self.reply(update, context, "start", name=name)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.reply(update, context, "help")

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.reply(update, context, "article_list", articles=self.engine.articles)

    async def on_new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.conversation(update, context.chat_data).reset()
        await self.reply(update, context, "new_topic")

    async def on_lang(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        choice = (context.args[0].lower() if context.args else "")
        if choice not in LANGUAGE_CHOICES:
            await self.reply(update, context, "lang_usage")
            return
        if not await self.is_chat_admin(update, context):
            await self.reply(update, context, "lang_admins_only")
            return
        context.chat_data["lang"] = choice
        await self.reply(update, context, "lang_set", choice=choice)

    @staticmethod
    async def is_chat_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """Whether the sender may change a group's settings: anyone in private, a group's
        administrators (also when they post anonymously as the group) in a group."""
        chat, user, msg = update.effective_chat, update.effective_user, update.effective_message
        if chat.type == ChatType.PRIVATE:
            return True
        if msg.sender_chat and msg.sender_chat.id == chat.id:
            return True
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning("could not check whether a member is an administrator (%s)", exc)
            return False
        return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        msg = update.effective_message
        commands = [value for entity, value in msg.parse_entities([MessageEntity.BOT_COMMAND]).items()
                    if entity.offset == 0]
        command = commands[0] if commands else (msg.text or "").split(maxsplit=1)[0]
        name, _, target = command.partition("@")
        if target and target.lower() != (context.bot.username or "").lower():
            return  # meant for another bot
        if msg.chat.type != ChatType.PRIVATE and not target:
            return  # a bare command in a group may be for anyone
        await self.reply(update, context, "unknown_command", command=name)

    async def on_reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Re-index the articles without a restart; only for the configured admins."""
        user = update.effective_user
        if not user or user.id not in self.settings.admin_ids:
            await self.reply(update, context, "not_allowed")
            return
        from ..live import LiveEngine

        started = time.perf_counter()
        engine = await asyncio.to_thread(LiveEngine, self.settings.docs_dir or config.DEFAULT_DOCS,
                                         self.settings.index_dir, self.settings.backend, self.settings.index)
        self.engine = engine
        await self.reply(update, context, "reloaded", articles=len(engine.articles),
                         paragraphs=engine.stats().paragraphs, seconds=round(time.perf_counter() - started, 2),
                         problems=engine.stats().problems)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A button under an answer. The press is acknowledged first, within Telegram's time
        limit; a button of an answer this process does not hold (sent before a restart) says
        so; data the bot never sent is only acknowledged."""
        query = update.callback_query
        press = parse(query.data)
        answer = self.buttons.get(press.key) if press else None
        msg = query.message if isinstance(query.message, Message) else None
        stale = press is not None and (answer is None or msg is None)
        try:
            await query.answer(message("stale_button", self.language(update, context)) if stale else None,
                               show_alert=stale)
        except TelegramError:
            pass
        if answer is None or msg is None:
            log.info("handled update %s: button=%s stale=%s", update.update_id, press and press.action, stale)
            return
        if press.action == "p" and press.argument.isdigit() and 1 <= int(press.argument) <= len(answer.citations):
            n = int(press.argument)
            await self.send(msg, paragraph_text(answer, n, html=True), paragraph_text(answer, n))
        elif press.action == "l" and press.argument in LANGUAGE_CHOICES[:2]:
            shown = dataclasses.replace(answer, language=press.argument)
            html, keyboard = full_text(shown, html=True), self.buttons.keyboard(answer, press.key, shown.language)
            if len(split_message(html)) > 1:  # a reply of several messages is not edited into one
                await self.send(msg, html, full_text(shown), keyboard)
            else:
                try:
                    await deliver(lambda: msg.edit_text(html, parse_mode=ParseMode.HTML, reply_markup=keyboard),
                                  "edit")
                except BadRequest as exc:  # a double tap: the message already reads so
                    if "not modified" not in str(exc).lower():
                        raise
        elif press.action == "f" and any(press.argument in kinds for kinds in FOLLOW_UPS.values()):
            question = message("follow_up_question", answer.language, kind=press.argument)
            await self.answer(update, context, question, msg=msg, topic=answer.topic)
            return
        log.info("handled update %s: button=%s", update.update_id, press.action)

    async def reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE, macro: str, **values) -> None:
        language = self.language(update, context)
        await self.send(update.effective_message, message(macro, language, html=True, **values),
                        message(macro, language, **values))
        log.info("handled update %s: chat=%s reply=%s lang=%s", update.update_id,
                 update.effective_chat.type, macro, language)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_message is None:
            return
        if isinstance(context.error, (Forbidden, TimedOut)):
            return  # blocked: nobody to apologise to; timed out: the answer may well have arrived
        try:
            language = self.language(update, context)
            await deliver(lambda: update.effective_message.reply_text(message("apology", language)), "apology")
        except TelegramError:
            log.warning("could not send the apology either")

    async def post_init(self, application: Application) -> None:
        """Once the Bot API answered: the command menu and the descriptions, in English and in Vietnamese."""
        persistence = application.persistence
        log.info("serving %d articles, %d paragraphs; chat settings in %s", len(self.engine.articles),
                 self.engine.stats().paragraphs, getattr(persistence, "filepath", "memory only"))
        for language in ("en", "vi"):
            code = None if language == "en" else language
            try:
                await application.bot.set_my_description(message("description", language), language_code=code)
                await application.bot.set_my_short_description(message("short_description", language),
                                                               language_code=code)
            except TelegramError as exc:
                log.warning("could not set the bot's description (%s)", exc)
            lines = message("command_menu", language).splitlines()
            commands = [BotCommand(*line.split(" ", 1)) for line in lines if line.strip()]
            try:
                await application.bot.set_my_commands(commands, language_code=None if language == "en" else "vi")
            except TelegramError as exc:
                log.warning("could not set the command menu (%s)", exc)

    def in_chat_order(self, callback):
        """Run a handler under its chat's lock: updates are handled concurrently, but a
        command never overtakes a question asked before it in the same chat."""
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            chat = update.effective_chat
            async with self.chat_locks[chat.id if chat else 0]:
                await callback(update, context)
        return handle

    def register(self, application: Application) -> None:
        ordered = self.in_chat_order
        for name, callback in (("ask", self.on_ask), ("start", self.on_start), ("help", self.on_help),
                               ("sources", self.on_sources), ("new", self.on_new), ("lang", self.on_lang),
                               ("reload", self.on_reload)):
            application.add_handler(CommandHandler(name, ordered(callback), filters=NEW_MESSAGES))
        application.add_handler(MessageHandler(NEW_MESSAGES & filters.COMMAND, ordered(self.on_unknown_command)))
        application.add_handler(MessageHandler(NEW_MESSAGES & filters.TEXT & ~filters.COMMAND,
                                               ordered(self.on_text)))
        # A photo's caption is a question in a private chat; other media and service messages are ignored.
        application.add_handler(MessageHandler(NEW_MESSAGES & filters.CAPTION & filters.ChatType.PRIVATE,
                                               ordered(self.on_text)))
        application.add_handler(CallbackQueryHandler(ordered(self.on_callback)))
        application.add_error_handler(self.on_error)


def build_application(engine, token: str, *, base_url: str | None = None, state_file: Path | None = None,
                      settings: TelegramSettings | None = None, request=None,
                      rate_limit: bool = True) -> Application:
    """The PTB application; `request` lets tests run it offline."""
    handlers = TelegramBot(engine, settings)
    builder = (ApplicationBuilder().token(token).post_init(handlers.post_init)
               .concurrent_updates(CONCURRENT_UPDATES))
    # post_init runs only under run_polling; webhook mode calls it through serve(on_start=...).
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
    handlers.register(application)
    return application


def settings_from(settings: config.Settings) -> TelegramSettings:
    return TelegramSettings(settings.context_minutes, UserRateLimit(*settings.user_rate), settings.admin_ids,
                            settings.docs_dir, settings.index_dir, settings.backend, settings.index)


def run(args, settings: config.Settings) -> int:
    """`python -m bot telegram`: long polling, or a webhook with --webhook-url."""
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
    engine = LiveEngine(settings.docs_dir, settings.index_dir, settings.backend, settings.index)
    # What is loaded now lives as long as the bot: out of the collector's reach, a full
    # collection no longer walks it in the middle of an answer (tens of ms at 100k paragraphs).
    gc.freeze()
    application = build_application(
        engine, token, base_url=settings.telegram_api_base_url,
        state_file=settings.state_file, settings=settings_from(settings))
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
