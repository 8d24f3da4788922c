"""What reaches the handlers from the Bot API: updates they can read, each once.

PTB parses a getUpdates batch whole: one update it cannot parse (a field missing or of
the wrong type) and it drops the batch and fetches the same one again, forever, answering
no one. So the batch is read here first, update by update: one the handlers could not
read is logged (its id and why, never what it says) and handed on bare, its id alone,
which no handler takes and which PTB acknowledges (see connections.py).
"""
from __future__ import annotations

import logging

from telegram import Chat, Update

log = logging.getLogger("citebot.telegram")


def problem(raw: dict) -> str | None:
    """Why the handlers could not read `raw`, or None: it parses, and the fields they read
    (chat, sender, text, entities, button data) have the Bot API's types."""
    try:
        update = Update.de_json(raw, None)
        msg, chat, user, query = update.effective_message, update.effective_chat, update.effective_user, \
            update.callback_query
        # A button under a message too old to show carries an InaccessibleMessage: no text, no entities.
        texts = [getattr(msg, name, None) for name in ("text", "caption")]
        entities = [*(getattr(msg, "entities", None) or ()), *(getattr(msg, "caption_entities", None) or ())]
        checks = (
            (msg is not None and not isinstance(msg.chat, Chat), "a message without a chat"),
            (chat is not None and not (isinstance(chat.id, int) and isinstance(chat.type, str)),
             "a chat of the wrong type"),
            (user is not None and not isinstance(user.id, int), "a sender of the wrong type"),
            (not all(isinstance(t, (str, type(None))) for t in texts), "a text that is not a string"),
            (not all(isinstance(e.offset, int) and isinstance(e.length, int) for e in entities),
             "entities of the wrong type"),
            (query is not None and (query.from_user is None or not isinstance(query.data, (str, type(None)))),
             "a button press of the wrong shape"),
        )
    except Exception as exc:  # whatever PTB's parser, or a field of an unexpected type, trips on
        return f"{type(exc).__name__} while reading it"
    return next((why for failed, why in checks if failed), None)


def readable(raw: object) -> dict | None:
    """The update, its bare id if the handlers could not read it, or None without an id."""
    update_id = raw.get("update_id") if isinstance(raw, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        log.warning("skipped a malformed update: no update id")
        return None
    why = problem(raw)
    if why:
        log.warning("skipped a malformed update %d: %s", update_id, why)
        return {"update_id": update_id}
    return raw
