"""The places a sentence says something happened at: "in Hanoi", "tại Phnom Penh", "visiting Hanoi"."""
from __future__ import annotations

import re

from ..answer import TermFact
from .terms import folded, group_of, has_role, is_asked, term
from .words import words

_WORD = re.compile(r"[^\W_][\w’'.-]*")
TITLE_REACH = 4  # words before "tại", "to" that may be a title ("Đại sứ Việt Nam tại ...")


def places_in(text: str, asked: set[str]) -> list[TermFact]:
    """The capitalised places after "in", "at", "tại", "ở", "visiting", ... that are not one of
    the `asked` words, in order."""
    tokens = _WORD.findall(text)
    found = []
    for i, token in enumerate(tokens[:-1]):
        if folded(token) not in words()["place_words"]:
            continue
        run = []
        for word in tokens[i + 1:]:
            word = word.rstrip(".’'")
            if not (word[:1].isupper() and not word.isupper()):
                break
            run.append(word)
        # "Đại sứ Việt Nam tại Campuchia Nguyễn Huy Tăng": the place of a title, not of an event.
        titled = has_role(" ".join(tokens[max(0, i - TITLE_REACH):i]))
        for size in range(len(run), 0, -1):
            phrase = " ".join(run[:size])
            if is_asked(phrase, asked):
                break
            group = group_of(phrase)
            if group is not None:
                if not (titled and len(run) > size + 1):
                    found.append(term(group))
                break
        else:
            if len(run) >= 2 and not is_asked(" ".join(run), asked):
                found.append(TermFact(vi=" ".join(run), en=" ".join(run)))
    return found


def place_in(text: str, asked: set[str]) -> TermFact | None:
    """The first place of `places_in`, or None."""
    found = places_in(text, asked)
    return found[0] if found else None
