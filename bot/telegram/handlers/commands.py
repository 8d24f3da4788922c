"""The commands a user sees in the menu (/start, /help, /sources, /new, /lang), the menu
itself, and the reply to a command the bot does not know."""
from __future__ import annotations

import copy
import logging
from functools import partial

from telegram import BotCommand, MessageEntity, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from ...engine.conversation import LANGUAGE_CHOICES
from ...render import message
from ..delivery import in_chat_order, reply
from ..deps import Deps
from . import NEW_MESSAGES

log = logging.getLogger("citebot.telegram")


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    name = update.effective_user.first_name if update.effective_user else ""
    await reply(update, context, "start", name=name)


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, "help")


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    await reply(update, context, "article_list", articles=deps.engine.articles)


async def on_new(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: Deps) -> None:
    deps.conversation(update, context.chat_data).reset()
    await reply(update, context, "new_topic")


async def on_lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    choice = (context.args[0].lower() if context.args else "")
    if choice not in LANGUAGE_CHOICES:
        await reply(update, context, "lang_usage")
        return
    if not await is_chat_admin(update, context):
        await reply(update, context, "lang_admins_only")
        return
    context.chat_data["lang"] = choice
    persistence = context.application.persistence
    if persistence:  # saved now, not at the next save in up to five seconds: a killed bot keeps it
        await persistence.update_chat_data(update.effective_chat.id, copy.deepcopy(context.chat_data))
    await reply(update, context, "lang_set", choice=choice)


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


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    msg = update.effective_message
    commands = [value for entity, value in msg.parse_entities([MessageEntity.BOT_COMMAND]).items()
                if entity.offset == 0]
    command = commands[0] if commands else (msg.text or "").split(maxsplit=1)[0]
    name, _, target = command.partition("@")
    if target and target.lower() != (context.bot.username or "").lower():
        return  # meant for another bot
    if msg.chat.type != ChatType.PRIVATE and not target:
        return  # a bare command in a group may be for anyone
    await reply(update, context, "unknown_command", command=name)


async def post_init(application: Application, deps: Deps) -> None:
    """Once the Bot API answered: the command menu and the descriptions, in English and in Vietnamese."""
    persistence = application.persistence
    log.info("serving %d articles, %d paragraphs; chat settings in %s", len(deps.engine.articles),
             deps.engine.stats().paragraphs, getattr(persistence, "filepath", "memory only"))
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
            await application.bot.set_my_commands(commands, language_code=code)
        except TelegramError as exc:
            log.warning("could not set the command menu (%s)", exc)


def register(application: Application, deps: Deps) -> None:
    """After every other module's commands: the unknown-command handler takes what they leave."""
    for name, callback in (("start", on_start), ("help", on_help), ("sources", partial(on_sources, deps=deps)),
                           ("new", partial(on_new, deps=deps)), ("lang", on_lang)):
        application.add_handler(CommandHandler(name, in_chat_order(deps.chat_locks, callback),
                                               filters=NEW_MESSAGES))
    application.add_handler(MessageHandler(NEW_MESSAGES & filters.COMMAND,
                                           in_chat_order(deps.chat_locks, on_unknown_command)))
