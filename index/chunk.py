"""Number an article's blocks as a reader counts them, and cut text into sentences.

The title is paragraph 0; the lead, body paragraphs, sub-headings and photo captions
that follow are numbered from 1 in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import Block

# Words that end with a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sen rep gov st no nos vol jan feb mar apr jun jul aug sep sept "
    "oct nov dec inc ltd co corp jr sr vs etc e.g i.e u.s u.k tp ts ths pgs gs ông bà tt".split()
)
_BULLET = r"[-–•*+▪●·]"
_LIST_MARK = re.compile(rf"(?:{_BULLET}|\d{{1,2}}[.)])\s")  # a list item's bullet or number, then a space
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*(?=\s+[\"“‘(\[]?[^\W_a-zà-ỹđ])|[.!?…]+[\"”’)]*$")
MAX_SENTENCE_CHARS = 400


@dataclass(frozen=True)
class Paragraph:
    doc_id: str
    number: int
    kind: str
    text: str
    language: str
    title: str
    # The folded tokens of each of `parts(text)`, computed once when the article is indexed
    # so that weighing sentences needs no tokenizing per question: a part's distinct tokens
    # joined by spaces, the parts by tabs (tokens hold neither). One string is cheap to
    # pass between processes, store and pickle.
    part_tokens: str | None = field(default=None, compare=False, repr=False)
    # The words of each part as `tokenize.words` gives them (normalized, in order, repeats kept), joined
    # the same way: weighing a sentence reads its words from here instead of normalizing its text again.
    part_words: str | None = field(default=None, compare=False, repr=False)
    part_facts: str | None = field(default=None, compare=False, repr=False)  # `sentences.stored_facts`
    date: str | None = None  # the article's, ISO 8601: what a citation shows and "the same day" means
    url: str = ""  # the article's address, when known


def number_blocks(doc_id: str, title: str, language: str, blocks: list[Block], date: str | None = None,
                  url: str = "") -> list[Paragraph]:
    title = next((b.text for b in blocks if b.kind == "title"), title)
    paragraphs = []
    number = 0 if blocks and blocks[0].kind == "title" else 1
    for block in _lists_joined(blocks):
        paragraphs.append(Paragraph(doc_id, number, block.kind, block.text, language, title, date=date, url=url))
        number += 1
    return paragraphs


def _lists_joined(blocks: list[Block]) -> list[Block]:
    """A list's items, a line each ("- set up a working group ...;"), join the line introducing them
    ("The two sides agreed to:") in one paragraph, as a reader reads them: apart, the question's words
    are in the introduction and the answer in the items. Joined by the article's line breaks, verbatim."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1].text if out else ""
        if (block.kind != "title" and _LIST_MARK.match(block.text) and out and out[-1].kind in ("lead", "body")
                and (last.endswith(":") or _LIST_MARK.match(last.rsplit("\n", 1)[-1]) and "\n" in last)):
            out[-1] = Block(out[-1].kind, f"{last}\n{block.text}")
        else:
            out.append(block)
    return out


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """Where `text[start:end].strip()` stands in `text`."""
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), start + len(piece.rstrip())


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rsplit(None, 1)  # only its last word is read
        last_word = before[-1].casefold().strip("(\"“") if before else ""
        if match.group().startswith(".") and (last_word in _ABBREVIATIONS or len(last_word) == 1):
            continue
        out.append(_stripped(text, start, match.end()))
        start = match.end()
    if text[start:].strip():
        out.append(_stripped(text, start, len(text)))
    return out


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph, verbatim; abbreviations and decimals do not end one."""
    return [text[a:b] for a, b in _sentence_spans(text)]


def part_spans(text: str) -> list[tuple[int, int, int, int]]:
    """Where each of `parts(text)` stands: the part's start and end in `text`, then its sentence's. The index
    stores them, so that weighing a paragraph's parts does not cut its text into sentences again."""
    out = []
    for start, end in _sentence_spans(text):
        cut = end - start > MAX_SENTENCE_CHARS or "\n" in text[start:end]  # long, or a list
        pieces = _clause_spans(text, start, end) if cut else [(start, end)]
        out.extend((a, b, start, end) for a, b in pieces)
    return out


def parts(text: str) -> list[tuple[str, str, bool]]:
    """What an answer can quote: (part, its sentence, whether the part is a clause cut from it).

    A long sentence is cut at its semicolons, so a list of agreed points can be quoted point by point.
    """
    return [(text[a:b], text[start:end], (a, b) != (start, end)) for a, b, start, end in part_spans(text)]


_CLAUSE_END = re.compile(rf"(?<=;)\s+|\s*\n(?={_LIST_MARK.pattern})")  # a semicolon, or a list item's line


def _clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [(m.start(), m.end()) for m in _CLAUSE_END.finditer(text, start, end)]
    edges = [start, *(e for _, e in cuts)], [*(s for s, _ in cuts), end]
    found = [_stripped(text, a, b) for a, b in zip(*edges) if text[a:b].strip()]
    return found if len(found) > 1 else [(start, end)]


def without_bullet(line: str) -> str:
    """A list line without its own bullet ("- set up ..."): a reply draws its own, or an ellipsis."""
    return re.sub(rf"^{_BULLET}\s+", "", line)


def clauses(sentence: str) -> list[str]:
    """Semicolon-separated parts of a long sentence, or a list's lines (lists of agreed points and the like)."""
    return [sentence[a:b] for a, b in _clause_spans(sentence, 0, len(sentence))]
