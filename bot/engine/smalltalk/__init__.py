"""Greetings, thanks and pleas for help, told apart from questions so that they get a friendly reply.

Strict on purpose: the whole message must be one of the phrases, so a real question is
never taken for small talk. A greeting or thanks before a question ("hi there, who met
whom?") is only dropped from it (`without_greeting`), so that it does not count as a
word of the question.
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
_ADDRESS = r"(?:\s+(?:bot|citebot|ơi|oi))*"  # "chào bot ơi, ..."
_PUNCTUATION = r"\s*[,.!:;–—-]+"


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


@lru_cache(maxsize=1)
def _leading() -> re.Pattern[str]:
    """A greeting or thanks that opens a longer message. An English greeting may stand without
    punctuation ("hi who met whom?"); the others need it, since "chào mừng" (welcome) or
    "thanks to" open real questions."""
    def either(phrases: list[str]) -> str:
        return "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))

    bare = [p for p, found in _phrases().items() if found == ("greeting", "en")]
    marked = [p for p, (kind, _) in _phrases().items() if kind in ("greeting", "thanks")]
    return re.compile(rf"^(?:(?:{either(bare)}){_ADDRESS}(?:{_PUNCTUATION})?|(?:{either(marked)}){_ADDRESS}{_PUNCTUATION})"
                      r"\s+(?=\w)", re.IGNORECASE)


def without_greeting(question: str) -> str:
    """The question without a greeting or thanks before it; a message that is only one is kept."""
    return _leading().sub("", question, count=1)


def repeated(text: str) -> bool:
    """Whether a message is one phrase over and over ("Hà Nội Hà Nội Hà Nội ..."), at least
    three times and perhaps cut short at the end: no question, whatever the phrase names."""
    said = _NOISE.sub(" ", text.casefold()).split()
    return any(len(said) >= 3 * period and all(w == said[i % period] for i, w in enumerate(said))
               for period in range(1, len(said) // 3 + 1))


def small_talk(question: str, language: str | None = None) -> Answer | None:
    """A reply to small talk (kind "greeting", "thanks" or "help"), or None for anything else.

    `language` is the chat's chosen reply language, if any; otherwise the phrase's own.
    """
    found = _phrases().get(_key(question))
    if found is None:
        return None
    kind, own_language = found
    return Answer(question, language or own_language, False, kind)
