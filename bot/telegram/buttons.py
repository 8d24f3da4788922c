"""The inline keyboard under a Telegram answer, and what its buttons carry.

A button's callback data names an action and the answer it belongs to:
"p <key> <n>" shows cited paragraph n, "l <key> <language>" words the answer in that
language (the source's, or back to the asker's), "f <key> <kind>" asks a follow-up ("When?"). Answers are kept in memory
under a key that starts with a per-process prefix, so that after a restart an old
button is recognised as stale instead of pointing at another answer.
"""
from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from ..engine.answer import Answer
from ..render import message

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
OTHER_LANGUAGE = {"en": "vi", "vi": "en"}


@dataclass(frozen=True)
class Press:
    action: str  # "p", "l" or "f"
    key: str
    argument: str


def parse(data: str | None) -> Press | None:
    """The press a button's data stands for, or None for data this bot never sent."""
    parts = (data or "").split(" ")
    if len(parts) == 3 and parts[0] in ("p", "f", "l"):
        return Press(*parts)
    return None


class AnswerButtons:
    def __init__(self, limit: int = KEPT_ANSWERS):
        self.prefix = secrets.token_hex(3)
        self.limit = limit
        self.count = 0
        self.answers: OrderedDict[str, Answer] = OrderedDict()

    def keep(self, answer: Answer) -> str:
        self.count += 1
        key = f"{self.prefix}{self.count:x}"
        self.answers[key] = answer
        while len(self.answers) > self.limit:
            self.answers.popitem(last=False)
        return key

    def get(self, key: str) -> Answer | None:
        return self.answers.get(key)

    @staticmethod
    def keyboard(answer: Answer, key: str, shown: str | None = None) -> InlineKeyboardMarkup | None:
        """Full paragraphs, the other language when a source is in it, and follow-ups; None
        for a reply without sources. `shown` is the language the answer is shown in now."""
        if not answer.citations:
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
        follow_ups = [k for k in FOLLOW_UPS.get(answer.kind, ()) if k != answer.kind][:MAX_FOLLOW_UPS]
        if follow_ups and answer.topic is not None:
            rows.append([InlineKeyboardButton(message("button_follow_up", language, kind=k),
                                              callback_data=f"f {key} {k}") for k in follow_ups])
        return InlineKeyboardMarkup(rows)
