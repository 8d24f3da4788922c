"""A person's title as the article writes it beside the name, and the same office in the other language.

"Chairman of the Hanoi People’s Committee Tran Sy Thanh", "Thủ tướng Vương quốc Campuchia
Samdech Techo Hun Sen", "Khuong Sreng, Governor of Phnom Penh, said": the title is the run of
titles, glossary phrases, capitalised words and connectors ("of the", "tại") next to the name,
within its clause, less the courtesies (Mr, Samdech). The other language gets the glossary's
words for the office and the first place named, or nothing: a title half translated reads as
another office.
"""
from __future__ import annotations

import re

from ..answer import TermFact
from ..dictionary import dictionary
from .terms import (
    english_of,
    folded,
    group_of,
    groups,
    has_role,
    is_place_group,
    is_title,
    is_titled_group,
)
from .words import words

LONGEST = 6  # words of the longest glossary phrase looked for in a title
_OPENING = "(“\"'‘"
_CLOSING = ",;:.!?)”\"'’"


def _clean(token: str) -> str:
    return token.lstrip(_OPENING).rstrip(_CLOSING)


def _connector(word: str) -> bool:
    return folded(word) in words()["title_connectors"]


def _courtesy(word: str) -> bool:
    return folded(word).strip(".") in words()["honorifics"]


def _accepts(phrase: list[str]) -> bool:
    """Whether the words may stand in a title: a connector, a title, a glossary title or body,
    a capitalised glossary phrase or word, or a capitalised Vietnamese word of several syllables
    ("Vương quốc")."""
    text = " ".join(phrase)
    if not text:
        return False
    if len(phrase) == 1 and (_connector(text) or text[:1].isupper()):
        return True
    if is_title(text):
        return True
    group = group_of(text)
    if group is not None and (is_titled_group(group) or text[:1].isupper()):
        return True
    return len(phrase) > 1 and text[:1].isupper() and dictionary().is_word(tuple(phrase), True)


def _scan(tokens: list[str], backward: bool) -> list[str]:
    """The title words at the end (backward) or start of `tokens`, up to the clause's edge."""
    taken: list[str] = []
    left, right = (len(tokens), len(tokens)) if backward else (0, 0)  # tokens[left:right] is taken
    while (left > 0) if backward else (right < len(tokens)):
        near = tokens[left - 1] if backward else tokens[right]
        if (near[-1] in _CLOSING) if backward else (taken and near[0] in _OPENING):
            break  # punctuation between this word and the title: another clause
        for size in range(min(4, left if backward else len(tokens) - right), 0, -1):
            part = tokens[left - size:left] if backward else tokens[right:right + size]
            # A phrase may not run across punctuation either.
            if any(t[-1] in _CLOSING for t in part[:-1]) or any(t[0] in _OPENING for t in part[1:]):
                continue
            if _accepts([_clean(t) for t in part]):
                break
        else:
            break
        if backward:
            left -= size
        else:
            right += size
        taken = [_clean(t) for t in tokens[left:right]]
        if (part[0][0] in _OPENING) if backward else (part[-1][-1] in _CLOSING):
            break
    return _trim(taken)


def _trim(title: list[str]) -> list[str]:
    """Without the connectors at either end and the courtesies next to the name."""
    while title and (_connector(title[0]) or _courtesy(title[0])):
        title = title[1:]
    while title and (_connector(title[-1]) or _courtesy(title[-1])):
        title = title[:-1]
    return title


def title_of(text: str, name: str) -> list[str] | None:
    """The words of the title written next to `name` in `text` (its first titled mention), or None."""
    for match in re.finditer(re.escape(name), text):
        before = _scan(text[:match.start()].split(), backward=True)
        if before and has_role(" ".join(before)):
            return before
        after = text[match.end():].lstrip()
        if after.startswith(","):
            title = _scan(after[1:].split(), backward=False)
            if title and has_role(" ".join(title)):
                return title
    return None


def _segments(title: list[str]) -> list[tuple[int | None, list[str]]]:
    """The title cut into glossary phrases, longest first from the left (None: no phrase)."""
    out, i = [], 0
    while i < len(title):
        for size in range(min(LONGEST, len(title) - i), 0, -1):
            group = group_of(" ".join(title[i:i + size]))
            if group is not None:
                out.append((group, title[i:i + size]))
                i += size
                break
        else:
            out.append((None, title[i:i + 1]))
            i += 1
    return out


def _english(phrase: str) -> str:
    return " ".join(w if _connector(w) else w[:1].upper() + w[1:] for w in phrase.split())


def _translated(title: list[str], language: str) -> str | None:
    """The office (and the first place) of a title in the other language, through the glossary."""
    segments = _segments(title)
    places = [g for g, _ in segments if g is not None and is_place_group(g)]
    rest = _trim([w for g, part in segments if g is None or not is_place_group(g) for w in part])
    office = group_of(" ".join(rest)) if rest else None
    body = None
    if office is None or not _is_office(office):
        offices = [g for g, _ in segments if g is not None and _is_office(g)]
        if not offices:
            return None
        # The head of the title: Vietnamese and "X of Y" name it first, "Municipal Governor" last.
        head_first = language == "vi" or any(folded(w) == "of" for w in rest)
        office = offices[0] if head_first else offices[-1]
        bodies = [g for g, _ in segments if g is not None and is_titled_group(g) and not _is_office(g)
                  and not is_place_group(g)]
        body = bodies[0] if bodies else None
    if language == "vi":
        english = _english(english_of(office)) + (f" of the {english_of(body)}" if body is not None else "")
        return f"{english} of {english_of(places[0])}" if places else english
    vietnamese = groups()[office][0] + (f" {groups()[body][0]}" if body is not None else "")
    return f"{vietnamese} {groups()[places[0]][0]}" if places else vietnamese


def _is_office(group: int) -> bool:
    return not is_place_group(group) and any(has_role(p) for p in groups()[group])


def role_term(title: list[str], language: str, wanted: str) -> TermFact | None:
    """The title as written (in `language`, the article's) and in the other language; None when
    the `wanted` language's side cannot be given."""
    written = " ".join(title)
    other = _translated(title, language)
    if other is None and wanted != language:
        return None
    other = other or written
    return TermFact(vi=written, en=other) if language == "vi" else TermFact(vi=other, en=written)


def atoms(text: str) -> frozenset[int]:
    """The glossary groups a phrase holds anywhere ("Chủ tịch Quốc hội": chairman, National
    Assembly, and the two together), to compare an asked title with a written one."""
    parts = [_clean(t) for t in text.split()]
    found = set()
    for n in range(1, LONGEST + 1):
        for i in range(len(parts) - n + 1):
            group = group_of(" ".join(parts[i:i + n]))
            if group is not None:
                found.add(group)
    return frozenset(found)


def office_groups(found: frozenset[int]) -> frozenset[int]:
    """Of the groups, those naming an office."""
    return frozenset(g for g in found if _is_office(g))
