"""Greetings, thanks and pleas for help, told apart from questions so that they get a friendly reply.

Strict on purpose: the whole message must be one of the phrases, so a real question is
never taken for small talk.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from index.tokenize import fold

from ..answer import Answer

_NOISE = re.compile(r"[^\w\s]|_")
_TRAILING = ("bot", "citebot", "ơi", "oi", "nhé", "nhe", "ạ", "a")


def _key(text: str) -> str:
    words = _NOISE.sub(" ", text.casefold()).split()
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[str, str]]:
    """Phrase -> (kind, language); Vietnamese phrases also without diacritics."""
    data = json.loads((Path(__file__).parent / "phrases.json").read_text("utf-8"))
    table: dict[str, tuple[str, str]] = {}
    for kind in ("greeting", "thanks", "help"):
        for language in ("en", "vi"):
            for phrase in data[kind][language]:
                table[_key(phrase)] = (kind, language)
                table.setdefault(fold(_key(phrase)), (kind, language))
    return table


def small_talk(question: str, language: str | None = None) -> Answer | None:
    """A reply to small talk (kind "greeting", "thanks" or "help"), or None for anything else.

    `language` is the chat's chosen reply language, if any; otherwise the phrase's own.
    """
    found = _phrases().get(_key(question))
    if found is None:
        return None
    kind, own_language = found
    return Answer(question, language or own_language, False, kind)
