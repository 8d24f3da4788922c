"""The handlers, one module per feature; each offers `register(application, deps)`.

`app.build_application` registers them in order: `commands` last, because its
unknown-command handler takes every command no module's CommandHandler took.
"""
from telegram.ext import filters

# Only user messages, never edits: an edited question is not answered twice.
NEW_MESSAGES = filters.UpdateType.MESSAGE
