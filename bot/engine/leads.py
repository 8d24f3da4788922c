"""A quote that opens with a word pointing back ("He", "Họ", "This") brings the sentence before it.

"He is also the oldest quarterback ever to play in a Super Bowl" does not tell a reader who
the oldest quarterback is; the sentence before it in the paragraph does, and a reader of a
chat reply cannot scroll up the article. The short line still reads the quote alone.
"""
from __future__ import annotations

import dataclasses
import json
import re
from functools import lru_cache
from pathlib import Path

from index.chunk import sentences

from .answer import Answer

_OPENING_MARKS = "“\"‘('"


@lru_cache(maxsize=1)
def _pointing() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = json.loads((Path(__file__).parent / "data" / "pointing_words.json").read_text("utf-8"))
    words = "|".join(map(re.escape, sorted(data["words"], key=len, reverse=True)))
    lowercase = "|".join(map(re.escape, data["before_lowercase"]))
    return re.compile(rf"(?:{words})(?!\w)"), re.compile(rf"(?:{lowercase})\s+(\w)")


def points_back(text: str) -> bool:
    """Whether `text` opens with a word pointing back to the sentence before it."""
    words, before_lowercase = _pointing()
    text = text.lstrip(_OPENING_MARKS)
    return bool(words.match(text)) or bool((m := before_lowercase.match(text)) and m.group(1).islower())


def add_leads(answer: Answer) -> None:
    """Give each quote opening its sentence with a pointing word the sentence before it, when
    the paragraph has one and the answer does not quote it already."""
    quoted = [q.text for q in answer.quotes]
    for i, quote in enumerate(answer.quotes):
        if quote.cut_before or quote.items or not points_back(quote.text):
            continue
        said = sentences(answer.citations[quote.citation - 1].text)
        at = next((k for k, sentence in enumerate(said) if sentence.startswith(quote.text)), 0)
        if at and not any(text in said[at - 1] or said[at - 1] in text for text in quoted):
            answer.quotes[i] = dataclasses.replace(quote, lead=said[at - 1])
