"""A standing instead of a number: "tỷ lệ cao hàng đầu khu vực", "one of the highest rates in the region".

A question about a measure ("Campuchia tiêm vaccine đạt tỷ lệ như thế nào?", "How high is the
vaccination rate?") whose sentence gives no number but ranks the measure is answered by the
rank and its scope, as the sentence words it; in the other language through the pairs of
words.json, and not at all when a word of it has no pair there. A question counting something
("bao nhiêu", "how many", "what percentage") asks for a number, which a standing is not.
"""
from __future__ import annotations

import re

from index.tokenize import fold

from ..answer import TermFact
from .terms import content_words, folded
from .words import words

REACH = 4  # words between the measure and its rank, either way ("tỷ lệ cao hàng đầu", "highest vaccination rates")
_CLAUSE = re.compile(r"[,;:()]|\.(?=\s|$)")


def _alternatives(phrases) -> str:
    return "|".join(re.escape(folded(p)) for p in sorted(phrases, key=len, reverse=True))


def _measures(text: str) -> frozenset[str]:
    """The measures a text names ("rate", "rates"), with their glossary equivalents, folded."""
    plain = folded(text)
    found = [m for m in words()["measures"] if re.search(rf"(?<!\w){re.escape(fold(m.casefold()))}s?(?!\w)", plain)]
    return frozenset(w for m in found for w in content_words(m)) | frozenset(fold(m.casefold()) for m in found)


def _counts(question: str) -> bool:
    """Whether the question asks for a number: a counting cue or a unit ("what percentage")."""
    plain = " ".join(re.findall(r"\w+|%", folded(question)))
    cues = [*words()["counting"], *words()["units"], *words()["standings"]["numbers"]]
    return any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", plain) for c in cues)


def _first(phrases: dict[str, list[str]], text: str) -> tuple[re.Match[str], list[str]] | None:
    """The first of the folded `phrases` in `text`, the longest where two start together."""
    pattern = rf"(?<!\w)(?:{_alternatives(phrases)})(?!\w)"
    match = re.search(pattern, text) if phrases else None
    return (match, phrases[match.group()]) if match else None


def standing_for(question: str, text: str, language: str) -> TermFact | None:
    """The rank the sentence gives the measure the question asks about, in both languages, or None."""
    asked = _measures(question)
    if not asked or _counts(question):
        return None
    side = 0 if language == "vi" else 1
    ranks = {folded(r[side]): r for r in words()["standings"]["ranks"]}
    scopes = {folded(s[side]): s for s in words()["standings"]["scopes"]}
    plain = folded(text)
    edges = [0, *(m.end() for m in _CLAUSE.finditer(plain)), len(plain)]
    found = []
    for begin, end in zip(edges, edges[1:]):
        clause = plain[begin:end]
        rank = _first(ranks, clause)
        if rank is None:
            continue
        before = clause[:rank[0].start()].split()[-REACH:]
        after = clause[rank[0].end():].split()[:REACH + 2]
        if _measures(" ".join([*before, *after[:REACH]])) & asked:
            found.append((rank[1], _first(scopes, " ".join(after))))
    if len(found) != 1:
        return None
    rank, scope = found[0]
    if scope is None:
        return TermFact(vi=rank[0], en=rank[1])
    return TermFact(vi=f"{rank[0]} {scope[1][0]}", en=f"{rank[1]} in {scope[1][1]}")
