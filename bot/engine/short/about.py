"""What a quote in the other language is about, in the reader's words: the glossary's terms it
holds ("đầu tư - du lịch" gives "investment, tourism"), each as the glossary writes it in the
reader's language. Only terms the glossary pairs, never a translation made up: a reader who
cannot read the quote learns what it speaks of. Left out: people, places and titles (the quote
writes names alike), verbs, whose forms the glossary lists ("agree", "agreed": they say what was
done, not what about), dates, the terms of the question itself, and a Vietnamese single syllable,
which may be any of several words ("sang" is "to go over" and "morning").
"""
from __future__ import annotations

import re
from functools import lru_cache

from index.tokenize import words

from ..answer import Answer
from ..dictionary import en_key
from ..questions import glossary
from .terms import english_of, groups, is_place_group, is_titled_group

MAX_TERMS = 8  # a line, not a translation


@lru_cache(maxsize=4096)
def _is_verb(group: int) -> bool:
    """Whether the group's English term is a verb: the group lists its forms ("agree", "agreed")."""
    base = english_of(group).casefold()
    forms = {base + "d", base + "ed", base + base[-1:] + "ed", base + "ing", base[:-1] + "ing"}
    return bool(forms & {p.casefold() for p in groups()[group]})


def _glossed(text: str, language: str) -> list[int]:
    """The glossary groups of `text`, in order, the longest phrase first where phrases overlap."""
    said, table = words(text), glossary()
    found, i = [], 0
    while i < len(said):
        n = _longest_phrase(said, i, min(_longest_key(), len(said) - i))
        if n and not (language == "vi" and n == 1):
            found.extend(table[en_key(" ".join(said[i:i + n]))][:1])
        i += max(n, 1)
    return found


def _longest_phrase(said: list[str], start: int, most: int) -> int:
    """How many words from `start` (at most `most`) the longest glossary phrase there has, 0 for none.

    A phrase's key is its words' keys one after the other (`en_key` reads each piece between
    spaces alone), so the words are keyed once each and the phrase grows only while its key
    begins some glossary key: a quote's words are not folded again for every length tried."""
    key: tuple[str, ...] = ()
    best = 0
    for n in range(1, most + 1):
        key += en_key(said[start + n - 1])
        if key not in _key_starts():
            break
        if key in glossary():
            best = n
    return best


@lru_cache(maxsize=1)
def _longest_key() -> int:
    """The most words a glossary key has (found once, not for every quote)."""
    return max(len(k) for k in glossary())


@lru_cache(maxsize=1)
def _key_starts() -> frozenset[tuple[str, ...]]:
    """Every beginning of a glossary key, the empty one and the whole key included."""
    return frozenset(key[:n] for key in glossary() for n in range(len(key) + 1))


def about(answer: Answer) -> tuple[str, ...]:
    """For an answer with no short line whose first quote is in the other language: the terms of
    the quote and its list points, written in the reader's language."""
    if answer.short is not None or not answer.answered or not answer.quotes:
        return ()
    quote = answer.quotes[0]
    if quote.language == answer.language:
        return ()
    asked = set(_glossed(answer.question, answer.language))
    terms: list[str] = []
    for group in _glossed(" ; ".join([quote.text, *quote.items]), quote.language):
        if group in asked or is_place_group(group) or is_titled_group(group) or _is_verb(group):
            continue
        term = groups()[group][0] if answer.language == "vi" else english_of(group)
        if not re.search(r"\d", term) and term not in terms:  # "tháng 9" is a date, not a topic
            terms.append(term)
    return tuple(terms[:MAX_TERMS])
