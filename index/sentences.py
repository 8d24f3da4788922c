"""What an answer reads of a paragraph's parts, computed once when its article is indexed.

Weighing candidate sentences needs each one's tokens, its words and what its text alone
says it holds (a date, a number, runs of capitalised words). Reading them from the text
again for every question was most of a first answer on an archive; the index stores them
with the paragraph (`Paragraph.part_tokens`, `part_words`, `part_facts`) and `parts_of`
reads them back. What a run of capitals is (a person, a place) depends on the bot's tables,
so the bot decides it from these.
"""
from __future__ import annotations

import json
import re
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from .chunk import Paragraph, parts
from .tokenize import analyze, fold, words

_MONTHS = ("January|February|March|April|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_DATE = re.compile(
    r"\b(?:1\d{3}|20\d\d)\b"                              # a year
    r"|\b\d{2,4}\s*(?:AD|BC|BCE|CE)\b|\b(?:AD|BC)\s*\d+"   # an era
    r"|\b\d{3}0s\b|\b(?:19|20)?\d0s\b"                     # a decade
    r"|\b\d{1,2}(?:st|nd|rd|th)[\s-]+centur|\bcenturies\b|\bcentury\b"
    rf"|\b(?:{_MONTHS})\b|\bMay\s+\d"                     # a month ("May" only with a day)
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"                   # 4/9, 4/9/2022
    r"|\b(?:today|yesterday|tomorrow|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|the same day|that day"
    r"|the following (?:day|year|week|month)|last (?:year|week|month)|next (?:year|week|month))\b"
    r"|\b(?:ngày|tháng|năm|thế kỷ|thế kỉ|thập niên|quý)\s+(?:\d+|[IVXLC]+\b)"
    r"|\b(?:hôm nay|hôm qua|ngày mai|cùng ngày|hôm sau|năm ngoái|năm sau|năm trước|thứ (?:hai|ba|tư|năm|sáu|bảy)"
    r"|chủ nhật|đầu năm|cuối năm|giữa năm|thế kỷ|thế kỉ|thập niên)\b",
    re.IGNORECASE,
)
_CASED_MONTH = re.compile(rf"\b(?:{_MONTHS})\b")
_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundreds?|thousands?|millions?|billions?|trillions?|dozens?|half|percent|"
    r"một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|tỉ|nửa|phần trăm)\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")
_OPENS = ".!?:;“\"(‘«"

Run = tuple[tuple[str, ...], bool, str]


@dataclass(frozen=True)
class TextFacts:
    date: bool
    number: bool
    # Runs of capitalised words: the words, whether a sentence or quote opens with them (a lone
    # capital there is not a name), and the folded word before them ("in", "tại": a place follows).
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Part:
    """A quotable part of a paragraph (`chunk.parts`) and what it holds."""

    text: str
    sentence: str  # the whole sentence the part comes from
    cut: bool  # whether the part is a clause cut from it
    tokens: frozenset[str]  # folded search tokens (`tokenize.analyze`)
    words: list[str]  # `tokenize.words` of the part: normalized, in order, repeats kept
    facts: TextFacts
    plain: frozenset[str]  # those of its tokens that are words, not pairs ("ha_noi")


# The same pattern matched on the text in lower case: a third of the time of IGNORECASE, which compares
# each of the many words of the pattern letter by letter at every word of the text.
_DATE_LOWER = re.compile(_DATE.pattern.lower())
# The letters IGNORECASE matches otherwise than their lower case ("ı" as "i", "ſ" as "s"); "İ" lowers to two
# characters, which would shift the spans. A text with one is matched as written.
_LOWERS_OTHERWISE = re.compile("[İıſ]")


def _is_date(text: str) -> bool:
    lowered = text.lower()
    as_lowered = len(lowered) == len(text) and not _LOWERS_OTHERWISE.search(text)
    found = _DATE_LOWER.finditer(lowered) if as_lowered else _DATE.finditer(text)
    # A bare month name counts only capitalised: "march" and "august" are words too.
    return any(not _CASED_MONTH.fullmatch(text[m.start():m.end()].capitalize()) or text[m.start()].isupper()
               for m in found)


def _runs(text: str) -> tuple[Run, ...]:
    found = []
    run: list[str] = []
    opened = False
    before = previous = ""
    end = 0
    for match in _WORD.finditer(text):
        word = match.group()
        capital = word[0].isupper() and not (word.isupper() and len(word) > 4)
        if run or capital:  # most words are neither in a run nor start one: their gap is not looked at
            gap = text[end:match.start()]
            joined = bool(run) and gap.strip() in ("", "-")
            if run and not (capital and joined):
                found.append((tuple(run), opened, before))
                run = []
            if capital:
                if not run:
                    opened = match.start() == len(text) - len(text.lstrip()) or any(c in _OPENS for c in gap)
                    before = "" if gap.strip() else fold(previous.casefold())
                run.append(word)
        end = match.end()
        previous = word
    if run:
        found.append((tuple(run), opened, before))
    return tuple(found)


def text_facts(text: str) -> TextFacts:
    return TextFacts(_is_date(text), bool(_NUMBER.search(text)), _runs(text))


def numbers_written(text: str) -> frozenset[str]:
    """The numbers a text writes, in digits or words ("Six" of "Six-time", "half"), casefolded:
    those that make `TextFacts.number`."""
    return (frozenset(_DIGITS.findall(text))
            | frozenset(m.group().casefold() for m in _NUMBER.finditer(_DIGITS.sub(" ", text))))


def stored_tokens(tokens: set[str]) -> tuple[str, int]:
    """A part's distinct tokens as `Paragraph.part_tokens` keeps them, its words before its pairs, and how
    many are words: read back, its words need no sorting out."""
    plain = [t for t in tokens if "_" not in t]
    return " ".join(plain + [t for t in tokens if "_" in t]), len(plain)


def stored_facts(text: str, spans: list[tuple[int, int, int, int]], plain: list[int]) -> str:
    """The facts of a paragraph's parts, as `Paragraph.part_facts` keeps them, with where each part and its
    sentence stand (`chunk.part_spans`) and how many of its stored tokens are words (`stored_tokens`)."""
    return json.dumps([[f.date, f.number, f.runs, span, n]
                       for f, span, n in zip((text_facts(text[a:b]) for a, b, _, _ in spans), spans, plain)],
                      ensure_ascii=False, separators=(",", ":"))


def _read_facts(stored: str) -> list[tuple[TextFacts, list[int], int]]:
    return [(TextFacts(date, number, tuple((tuple(run), opened, before) for run, opened, before in runs)), span, n)
            for date, number, runs, span, n in json.loads(stored)]


KEPT_TOKENS = 8192  # texts whose tokens are kept, the oldest forgotten first
# Ordered, so that forgetting the oldest is one step: a dict's first key is found past the slots of those deleted.
_kept: OrderedDict[tuple[str, str], frozenset[str]] = OrderedDict()
_keeping = Lock()  # the Telegram bot's threads share them


def tokens_of(text: str, language: str) -> frozenset[str]:
    """A text's folded search tokens, as a set; kept, with those of the parts the index stored
    (`parts_of`): the short line asks again for the tokens of the sentences the picker weighed."""
    found = _kept.get((text, language))
    return _keep(text, language, frozenset(analyze(text, language).folded)) if found is None else found


def _keep(text: str, language: str, tokens: frozenset[str]) -> frozenset[str]:
    with _keeping:
        if len(_kept) >= KEPT_TOKENS:
            _kept.popitem(last=False)
        _kept[text, language] = tokens
    return tokens


def parts_of(paragraph: Paragraph) -> list[Part]:
    """The paragraph's parts with what the index stored of them; read from the text for a paragraph
    made outside the index."""
    tokens = paragraph.part_tokens.split("\t") if paragraph.part_tokens else []
    said = paragraph.part_words.split("\t") if paragraph.part_words is not None else []
    found = _read_facts(paragraph.part_facts) if paragraph.part_facts is not None else []
    if not found or not len(tokens) == len(said) == len(found):
        return [Part(part, sentence, cut, held := tokens_of(part, paragraph.language), words(part), text_facts(part),
                     frozenset(t for t in held if "_" not in t))
                for part, sentence, cut in parts(paragraph.text)]
    text, language, out = paragraph.text, paragraph.language, []
    for t, w, (facts, (a, b, start, end), n) in zip(tokens, said, found):
        part, held = text[a:b], t.split()
        out.append(Part(part, text[start:end], (a, b) != (start, end), _keep(part, language, frozenset(held)),
                        w.split(), facts, frozenset(held[:n])))
    return out
