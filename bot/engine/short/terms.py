"""Glossary phrases as the short line uses them: titles, bodies and places, in both languages."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from index.tokenize import fold

from ..answer import TermFact
from ..dictionary import en_key
from ..questions import DATA, common_words, glossary, question_types
from .words import words


def folded(text: str) -> str:
    return fold(text.casefold())


@lru_cache(maxsize=1)
def groups() -> list[list[str]]:
    return json.loads((DATA / "glossary.json").read_text("utf-8"))["groups"]


@lru_cache(maxsize=1)
def roles() -> frozenset[str]:
    """Folded words and phrases that name an office ("governor", "bí thư"), not a courtesy ("Mr", "Samdech")."""
    listed = json.loads((DATA / "evidence.json").read_text("utf-8"))["roles"]
    return frozenset(listed) - words()["honorifics"]


def group_of(phrase: str) -> int | None:
    ids = glossary().get(en_key(phrase))
    return ids[0] if ids else None


def is_title(word: str) -> bool:
    return folded(word).strip(".") in words()["titles"]


def has_role(phrase: str) -> bool:
    """Whether the phrase names an office: one of its words, or two or three in a row, is a role."""
    parts = folded(phrase).split()
    return any(" ".join(parts[i:i + n]) in roles() for n in (1, 2, 3) for i in range(len(parts) - n + 1))


@lru_cache(maxsize=4096)
def is_titled_group(group: int) -> bool:
    """A glossary group of titles or bodies ("Đô trưởng", "People's Committee"): a word of one
    of its phrases is a title word."""
    return any(is_title(w) for phrase in groups()[group] for w in phrase.split())


@lru_cache(maxsize=1)
def _same_in_english() -> frozenset[str]:
    return frozenset(json.loads((DATA / "glossary.json").read_text("utf-8"))["same_in_english"])


@lru_cache(maxsize=4096)
def is_place_group(group: int) -> bool:
    """A place ("Hà Nội", "Cambodia"): its English name is written capitalised and holds no title
    word but "City" ("National Assembly" and "Cambodian People's Party" are bodies; "Ho Chi
    Minh City" is a place), no digit ("COVID-19") and is no month or weekday."""
    english = english_of(group)
    return (english[:1].isupper() and not any(is_title(w) for w in english.split() if w.casefold() != "city")
            and not any(c.isdigit() for c in english) and folded(english) not in words()["months"]
            and folded(english) not in words()["weekdays"])


def english_of(group: int) -> str:
    """A group's first English phrase that is not an abbreviation ("People's Committee", not "UBND"),
    or its first phrase where English writes the name as Vietnamese does ("Singapore", not the
    transliteration "Xinh-ga-po" listed after it)."""
    phrases = groups()[group]
    if phrases[0] in _same_in_english():
        return phrases[0]
    english = [p for p in phrases[1:] if p.isascii()]
    spelled = [p for p in english if not p.isupper()]
    return (spelled or english or phrases[:1])[0]


def term(group: int) -> TermFact:
    """A glossary group written in each language: its Vietnamese entry and its first English one."""
    english = english_of(group)
    return TermFact(vi=groups()[group][0], en=english[0].upper() + english[1:])


def singular(word: str) -> str:
    """A plural's "s" dropped, and nothing more: a full stemmer makes "interceptions" the
    question's verb "intercept", and counts the wrong thing."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


@lru_cache(maxsize=256)
def content_words(text: str) -> frozenset[str]:
    """A question's words that are not question or function words, with the words of their
    glossary equivalents in both languages ("dân số": "population"), folded and singular."""
    tokens = [w.strip("?.,!:;“”\"'’()") for w in folded(text).split()]
    tokens = [t[:-2] if t.endswith(("'s", "’s")) else t for t in tokens if t]
    common = common_words()
    found = {singular(t) for t in tokens if t not in common}
    for size in (1, 2, 3):
        for i in range(len(tokens) - size + 1):
            for group in glossary().get(en_key(" ".join(tokens[i:i + size])), ()):
                found |= {singular(w) for p in groups()[group] for w in folded(p).split()} - common
    return frozenset(found)


def question_words(question: str) -> list[str]:
    """A question's words in order, folded, without the punctuation around them or a possessive "'s"."""
    return [re.sub(r"['’]s$", "", w.strip("?.,!:;“”\"'’")) for w in folded(question).split()]


def is_asked(name: str, asked: set[str]) -> bool:
    return all(w in asked for w in folded(name).split())


def meets(text: str) -> bool:
    """Whether the sentence tells of a meeting of any kind (not a visit alone)."""
    plain = " ".join(re.findall(r"\w+", folded(text)))
    # A word absent from the text is not searched for: compiling each word's pattern cost a cold `ask` 3 ms.
    return any(fold(w) in plain and re.search(rf"(?<!\w){re.escape(fold(w))}(?:e?s)?(?!\w)", plain)
               for w in [*question_types()["meeting"], *words()["meeting_words"]]
               if fold(w) not in {fold(v) for v in words()["place_words"]})
