"""The inline keyboard under a Telegram answer, and what its buttons carry.

A button's callback data names an action and the answer it belongs to:
"p <key> <n>" shows cited paragraph n, "l <key> <language>" words the answer in that
language (the source's, or back to the asker's), "f <key> <kind>" asks a follow-up ("When?"). Answers are kept in memory
under a key that starts with a per-process prefix, so that after a restart an old
button is recognised as stale instead of pointing at another answer.

A follow-up button is offered only when the engine has an answer for it: each is asked
before the keyboard is drawn (milliseconds), so that no button leads to "the articles do
not say" or to the sentence already shown.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from ..engine import AnswerEngine
from ..engine.answer import Answer
from ..engine.conversation import Conversation
from ..render import message
from .recent import Recent

KEPT_ANSWERS = 2000  # answers whose buttons still work; older ones are stale
MAX_PARAGRAPH_BUTTONS = 3
MAX_FOLLOW_UPS = 3
# What to ask next, by the type of the question just answered.
FOLLOW_UPS = {
    "who_met": ("when", "where", "agreed"),
    "who": ("when", "where", "agreed"),
    "role": ("when", "where", "agreed"),
    "when": ("who", "where", "agreed"),
    "where": ("who", "when", "agreed"),
    "quantity": ("when", "where", "why"),
    "agreed": ("who", "when", "why"),
    "proposed": ("who", "when", "agreed"),
    "committed": ("who", "when", "agreed"),
    "why": ("who", "when", "agreed"),
    "what": ("who", "when", "where"),
}
FACT_KINDS = ("when", "where")  # answered only by a date or a place: a quote without one leads nowhere
OTHER_LANGUAGE = {"en": "vi", "vi": "en"}


@dataclass(frozen=True)
class Press:
    action: str  # "p", "l" or "f"
    key: str
    argument: str


def parse(data: str | None) -> Press | None:
    """The press a button's data stands for, or None for data this bot never sent."""
    parts = (data if isinstance(data, str) else "").split(" ")
    if len(parts) == 3 and parts[0] in ("p", "f", "l"):
        return Press(*parts)
    return None


def _leads_somewhere(shown: Answer, follow: Answer, kind: str) -> bool:
    """Whether a follow-up's answer tells the reader more than `shown`: a date or a place for
    "When?" and "Where?", else a short line or a sentence not shown already."""
    if not follow.answered:
        return False
    if kind in FACT_KINDS:
        return follow.short is not None
    return follow.short is not None or [q.text for q in follow.quotes] != [q.text for q in shown.quotes]


def follow_ups(engine: AnswerEngine, conversation: Conversation, answer: Answer,
               fallback_language: str) -> tuple[str, ...]:
    """The follow-ups worth a button under `answer`, each asked as its press would ask it,
    without touching the chat's conversation. Calls the engine: run it off the event loop."""
    if not answer.citations or answer.topic is None:
        return ()
    trial = Conversation(language=conversation.language)
    kinds = [k for k in FOLLOW_UPS.get(answer.kind, ()) if k != answer.kind]
    return tuple(k for k in kinds if _leads_somewhere(answer, trial.ask(
        engine, message("follow_up_question", answer.language, kind=k), fallback_language, topic=answer.topic), k)
    )[:MAX_FOLLOW_UPS]


class AnswerButtons:
    def __init__(self, limit: int = KEPT_ANSWERS):
        self.prefix = secrets.token_hex(3)
        self.count = 0
        self.answers: Recent = Recent(limit)  # key -> (answer, its follow-ups)

    def keep(self, answer: Answer, follow_ups: tuple[str, ...] = ()) -> str:
        self.count += 1
        key = f"{self.prefix}{self.count:x}"
        self.answers[key] = (answer, follow_ups)
        return key

    def get(self, key: str) -> Answer | None:
        kept = self.answers.get(key)
        return kept[0] if kept else None

    def keyboard(self, key: str, shown: str | None = None) -> InlineKeyboardMarkup | None:
        """Full paragraphs, the other language when a source is in it, and the follow-ups kept
        with the answer; None for a reply without sources. `shown` is the language the answer is
        shown in now."""
        answer, follow = self.answers.get(key, (None, ()))
        if answer is None or not answer.citations:
            return None
        language = shown or answer.language
        count = len(answer.citations)
        rows = [[InlineKeyboardButton(message("button_paragraph", language, n=n, count=count),
                                      callback_data=f"p {key} {n}")
                 for n in range(1, min(count, MAX_PARAGRAPH_BUTTONS) + 1)]]
        other = OTHER_LANGUAGE.get(language)
        if other and any(c.language != answer.language for c in answer.citations):
            rows[0].append(InlineKeyboardButton(message("button_language", language, code=other),
                                                callback_data=f"l {key} {other}"))
        if follow:
            rows.append([InlineKeyboardButton(message("button_follow_up", language, kind=k),
                                              callback_data=f"f {key} {k}") for k in follow])
        return InlineKeyboardMarkup(rows)
