"""The places a sentence says something happened at: "in Hanoi", "tại Phnom Penh", "visiting Hanoi".

"The city", "the capital city", "thành phố" with no name after it is the article's own city,
the place its headline names first ("Hanoi pushes for closer ties with Phnom Penh"), as news
writing uses it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..answer import TermFact
from ..questions import function_words
from .terms import folded, group_of, has_role, is_asked, is_place_group, term
from .titles import atoms
from .words import words

_WORD = re.compile(r"[^\W_][\w’'.-]*")
LONGEST = 4  # words of the longest place name looked for in a headline
TITLE_REACH = 4  # words before "tại", "to" that may be a title ("Đại sứ Việt Nam tại ...")


@lru_cache(maxsize=1)
def _the_city() -> re.Pattern[str]:
    """"the capital city", "the southern metropolis", "thủ đô" (folded)."""
    nouns = "|".join(sorted(map(re.escape, words()["the_city"]["nouns"]), key=len, reverse=True))
    return re.compile(rf"(?:the (?:\w+ ){{0,2}}?)?(?:{nouns})(?!\w)")


@lru_cache(maxsize=4096)
def home_of(title: str) -> TermFact | None:
    """The place a headline names first: the city "the city" stands for in its article. Kept by title:
    a yes/no question asks it for each candidate sentence, most of them of a few articles."""
    parts = _WORD.findall(title)
    for i in range(len(parts)):
        for size in range(min(LONGEST, len(parts) - i), 0, -1):
            group = group_of(" ".join(parts[i:i + size]))
            if group is not None and is_place_group(group):
                return term(group)
    return None


def places_in(text: str, asked: set[str], home: TermFact | None = None) -> list[TermFact]:
    """The capitalised places after "in", "at", "tại", "ở", "visiting", ... that are not one of
    the `asked` words, in order; "the city" with no name after it is `home`."""
    text = unicodedata.normalize("NFC", text)  # folded letter for letter: a venue's place is found in the text
    spans = list(_WORD.finditer(text))
    tokens = [m.group() for m in spans]
    found = []
    for i, token in enumerate(tokens[:-1]):
        if folded(token) not in words()["place_words"]:
            continue
        start = i + 1
        city = _the_city().match(" ".join(folded(t) for t in tokens[start:start + 5]))
        if city:
            start += len(city.group().split())
            if start < len(tokens) and folded(tokens[start]) == "of":  # "the city of Hue"
                start += 1
            elif not (start < len(tokens) and tokens[start][:1].isupper()):  # not "thủ đô Viêng Chăn"
                if home is not None and not is_asked(home.en, asked) and not is_asked(home.vi, asked):
                    found.append(home)
                continue
        noun = _venue_noun(tokens, start)
        if noun is not None:  # "tại ga Tham Lương": a station, port or airport the glossary does not know
            start += len(noun[0].split())
        run = []
        for word in tokens[start:]:
            word = word.rstrip(".’'")
            if not (word[:1].isupper() and not word.isupper()):
                break
            run.append(word)
        if noun is not None and len(run) >= 2:
            if not is_asked(" ".join(run), asked):
                group = group_of(" ".join(run))
                name = term(group) if group is not None and is_place_group(group) else TermFact(vi=" ".join(run),
                                                                                              en=" ".join(run))
                found.append(TermFact(vi=f"{noun[0]} {name.vi}", en=f"{name.en} {noun[1]}"))
            continue
        before = len(found)
        # "Đại sứ Việt Nam tại Campuchia Nguyễn Huy Tăng": the place of a title, not of an event.
        titled = has_role(" ".join(tokens[max(0, i - TITLE_REACH):i]))
        for size in range(len(run), 0, -1):
            phrase = " ".join(run[:size])
            if is_asked(phrase, asked):
                break
            group = group_of(phrase)
            if group is not None:
                if is_place_group(group) and not (titled and len(run) > size + 1):  # not "in September"
                    found.append(term(group))
                break
        else:
            if len(run) >= 2 and not is_asked(" ".join(run), asked):
                found.append(TermFact(vi=" ".join(run), en=" ".join(run)))
        if len(found) == before and len(run) == 1 and start < len(tokens) and not titled:
            found.extend(p for p in _venue(text, spans[start].start()) if not is_asked(p.vi, asked))
    return found


def _venue_noun(tokens: list[str], at: int) -> tuple[str, str] | None:
    """The lowercase noun of a venue opening at `at`, as written, and its English ("ga": "station"),
    when a capitalised name follows it."""
    for size in (2, 1):
        written = " ".join(tokens[at:at + size])
        english = words()["venue_nouns"].get(folded(written))
        if english and written[:1].islower() and at + size < len(tokens) and tokens[at + size][:1].isupper():
            return written, english
    return None


_CLAUSE_END = re.compile(r"[,;:()]|\.(?=\s|$)")
VENUE_WORDS = 6  # words of the longest venue read ("Trung tâm Hội nghị Quốc gia Mỹ Đình")


def _venue(text: str, begin: int) -> list[TermFact]:
    """A place named in common words, as Vietnamese names a venue, and the city it gives: "tại Trung
    tâm Hành chính thành phố Đà Nẵng" (the centre, and Đà Nẵng), "tại Quảng trường Hồ Chí Minh,
    thành phố Vinh" (the square, and Vinh)."""
    end = _CLAUSE_END.search(text, begin)
    clause = text[begin:end.start() if end else len(text)]
    following = text[end.end():].lstrip() if end and end.group() == "," else ""
    # The city it is in: named in the clause, or opening the next one.
    inside = _the_city().search(folded(clause))
    opening = None if inside else _the_city().match(folded(following))
    venue = clause[:inside.start()] if inside else clause
    city = clause[inside.end():] if inside else following[opening.end():] if opening else ""
    named = venue.split()
    # "Trung tâm Hành chính", "Quảng trường Hồ Chí Minh": a common noun of two syllables, the first
    # capitalised; not "Florida và Đông Nam", "Florida and the Southeast".
    found = [TermFact(vi=" ".join(named), en=" ".join(named))] \
        if 2 <= len(named) <= VENUE_WORDS and folded(named[1]) not in function_words() else []
    name = []
    for word in city.split():
        if not word[:1].isupper() or word.isupper():
            break
        name.append(word.rstrip(".,;:’'"))
        if word != name[-1]:
            break
    group = group_of(" ".join(name)) if name else None
    if group is not None and is_place_group(group):
        found.append(term(group))
    elif name:
        found.append(TermFact(vi=" ".join(name), en=" ".join(name)))
    return found


def place_in(text: str, asked: set[str], home: TermFact | None = None) -> TermFact | None:
    """The first place of `places_in`, or None."""
    found = places_in(text, asked, home)
    return found[0] if found else None


@lru_cache(maxsize=256)
def asked_place(question: str) -> int | None:
    """The one place a question names (its glossary group), if it names exactly one."""
    asked = places_named(question)
    return next(iter(asked)) if len(asked) == 1 else None


def places_named(text: str) -> frozenset[int]:
    """The glossary's places a text names."""
    return frozenset(g for g in atoms(text) if is_place_group(g))


def of_another_place(question: str, text: str) -> bool:
    """Whether the sentence tells of another place than the question asks of. Asked of one place,
    it names others, not it: "the population of Phnom Penh" is not the number of a sentence on
    Hanoi. Asked of several, it names one of them and another in the place of the rest: the
    Netherlands' projects in Lâm Đồng are not Japan's there. One naming none of them, or both
    together ("both countries", "hai nước"), may still speak of them."""
    asked = places_named(question)
    named = places_named(text) if asked else frozenset()
    if len(asked) > 1 and (not asked & named or _speaks_of_both(text)):
        return False
    return bool(asked - named) and bool(named - asked)


def _speaks_of_both(text: str) -> bool:
    plain = folded(text)
    return any(re.search(rf"(?<!\w){both}(?!\w)", plain) for both in words()["both_places"])
