"""Tell Vietnamese from English, including Vietnamese typed without diacritics."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .tokenize import fold, has_diacritics, words

LANGUAGES = ("vi", "en")


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    data = json.loads((Path(__file__).parent / "data" / "language_words.json").read_text("utf-8"))
    return {lang: frozenset(data[lang]) for lang in LANGUAGES}


def detect(text: str, default: str = "en") -> str:
    """'vi' or 'en' by function words; a word with diacritics counts half for Vietnamese.

    Names with diacritics inside an English question ("Who did Đinh Tiến Dũng meet?")
    must not outvote its English function words, hence the half weight.
    """
    lists = _function_words()
    vietnamese, english = lists["vi"], lists["en"]
    vi = en = 0.0
    for word in words(text):
        folded = fold(word)
        if folded in vietnamese:
            vi += 1
        elif folded != word:  # has diacritics
            vi += 0.5
        if word in english:
            en += 1
    if vi == en:
        return "vi" if has_diacritics(text.casefold()) else default
    return "vi" if vi > en else "en"
