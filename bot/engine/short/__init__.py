"""The short answer line: one fact from the quote that answers the question in any language.

Only what carries across languages exactly is used: dates, numbers with their units,
people's names, and places and titles the glossary translates. The templates word the
fact in the reader's language. Questions whose answer is not such a fact (what was
agreed, why) get no short line, and neither does a quote without the fact asked for.
"""
from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from functools import lru_cache
from typing import Callable

from index.tokenize import fold

from ..answer import Answer, DateFact, Fact, NameFact, NumberFact, Quote, TermFact
from ..dictionary import en_key
from ..questions import DATA, glossary
from .dates import date_spans, day_dates, first_date, says_same_day, usual_year
from .words import words

MAX_NAMES = 3
ROLE_WINDOW = 8  # words before a name that may hold its title
TITLE_WINDOW = 6  # words before a name run that may hold a title
_WORD = re.compile(r"[^\W_][\w’'.-]*")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*$")

ArticleTexts = Callable[[str], list[str]]  # doc id -> the article's paragraph texts


def _folded(text: str) -> str:
    return fold(text.casefold())


def _question_words(question: str) -> list[str]:
    """A question's words in order, folded, without the punctuation around them."""
    return [w.strip("?.,!:;“”\"'’") for w in _folded(question).split()]


def _asked(answer: Answer) -> set[str]:
    """The question's words (with the previous question's, for a follow-up), folded."""
    topic = _question_words(" ".join(answer.topic.words)) if answer.topic else []
    return set(_question_words(answer.question)) | set(topic)


def _is_asked(name: str, asked: set[str]) -> bool:
    return all(w in asked for w in _folded(name).split())


@lru_cache(maxsize=1)
def _groups() -> list[list[str]]:
    return json.loads((DATA / "glossary.json").read_text("utf-8"))["groups"]


def _group_of(phrase: str) -> int | None:
    ids = glossary().get(en_key(phrase))
    return ids[0] if ids else None


def _term(group: int) -> TermFact:
    """A glossary group written in each language: its Vietnamese entry and its first English one."""
    phrases = _groups()[group]
    english = next((p for p in phrases[1:] if p.isascii()), phrases[0])
    return TermFact(vi=phrases[0], en=english[0].upper() + english[1:])


def _is_title(word: str) -> bool:
    return _folded(word).strip(".") in words()["titles"]


def _strip_titles(run: list[str]) -> tuple[list[str], bool]:
    """A name run without the titles, bodies and places written before the name, and
    whether a title was among them."""
    titled = False
    while run:
        if _folded(run[0]) in words()["openers"]:
            run = run[1:]
            continue
        for size in range(len(run), 0, -1):
            phrase = " ".join(run[:size])
            group = _group_of(phrase)
            if group is not None or (size <= 2 and _is_title(phrase)):
                titled = titled or _is_title(phrase) or any(_is_title(w) for w in _term(group).en.split())
                run = run[size:]
                break
        else:
            return run, titled
    return run, titled


def _preceded_by_title(text: str, name: str) -> bool:
    """Whether a title stands before the name, across places and prepositions only
    ("Đại sứ Việt Nam tại Campuchia Nguyễn Huy Tăng", not "the Governor said on Monday Tran ...")."""
    before = text[:max(text.find(name), 0)].split()[-TITLE_WINDOW:]
    for i in range(len(before) - 1, -1, -1):
        word = before[i]
        if word[-1:] in ",;:.)”":
            return False
        folded = _folded(word)
        pair = f"{_folded(before[i - 1])} {folded}" if i else ""
        if folded in words()["titles"] or pair in words()["titles"]:
            return True
        if not (word[:1].isupper() or folded in words()["openers"] or _group_of(word) is not None):
            return False
    return False


def _runs(text: str) -> list[str]:
    """Runs of two or more capitalised words not broken by punctuation ("Hun Sen; Chủ tịch" is two)."""
    runs, run = [], []
    for token in text.split():
        word = token.lstrip("(“\"'‘")
        core = word.rstrip(".,;:)”\"'’!?")
        if word != token and run:  # "(" or a quote mark opens something else
            runs.append(run)
            run = []
        if core and _NAME_WORD.match(core) and core[0].isupper() and not core.isupper():
            run.append(core)
            if core == word:
                continue
        runs.append(run)
        run = []
    runs.append(run)
    return [" ".join(r) for r in runs if len(r) >= 2]


def people(text: str) -> list[str]:
    """Titled people named in `text`: "Governor Khuong Sreng", "Đại sứ ... Nguyễn Huy Tăng"."""
    found: list[str] = []
    for run in _runs(text):
        parts, stripped_title = _strip_titles(run.split())
        name = " ".join(parts)
        if len(parts) < 2 or _group_of(name) is not None or name in found or any(_is_title(w) for w in parts):
            continue
        if stripped_title or _preceded_by_title(text, run):
            found.append(name)
    return found


def _same_day(quote: Quote, paragraph: str, article: ArticleTexts | None, doc: str) -> DateFact | None:
    """For "the same day" / "cùng ngày": the last day the article gave before the quote."""
    if not says_same_day(quote.text):
        return None
    texts = article(doc) if article else [paragraph]
    before = texts[:texts.index(paragraph)] if paragraph in texts else []
    here = paragraph[:paragraph.find(quote.text)] if quote.text in paragraph else ""
    for text in (here, *reversed(before)):
        days = day_dates(text)
        if days:
            return dataclasses.replace(days[-1], same_day=True)
    return None


def _date(answer: Answer, quote: Quote, article: ArticleTexts | None) -> DateFact | None:
    citation = answer.citations[quote.citation - 1]
    found = first_date(quote.text)
    fact = found[0] if found else _same_day(quote, citation.text, article, citation.doc)
    if fact is None:
        return None
    if fact.year is None:
        year = usual_year([citation.text]) or (usual_year(article(citation.doc)) if article else None)
        if year is not None:
            fact = dataclasses.replace(fact, year=year, year_inferred=True)
    return fact


@lru_cache(maxsize=1)
def _number_pattern() -> re.Pattern[str]:
    table = words()

    def alternatives(keys) -> str:
        return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))

    return re.compile(
        rf"(?:\b({alternatives(table['qualifiers'])})\s+)?"
        rf"(?:(?<![\w.,])(\d+(?:[.,]\d+)*)(?!\d)(st|nd|rd|th)?|\b({alternatives({fold(w) for w in table['number_words']})})\b)"
        rf"(?:\s*\b({alternatives(table['scales'])})\b)?"
        rf"(?:\s*(?:of\s+)?({alternatives(table['units'])})(?!\w))?")


def _value(digits: str, language: str) -> str:
    if language == "vi":
        digits = re.sub(r"\.(?=\d{3}\b)", "", digits).replace(",", ".")
    else:
        digits = digits.replace(",", "")
    return digits


def _singular(word: str) -> str:
    """A plural's "s" dropped, and nothing more: a full stemmer makes "interceptions" the
    question's verb "intercept", and counts the wrong thing."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def _number(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NumberFact | None:
    """The number the question counts: the one whose unit, or the word after it, the question
    names ("how many sacks" - "136 sacks"), else the quote's only number; None when unsure."""
    table = words()
    written = unicodedata.normalize("NFC", quote.text).casefold()
    folded = fold(written)  # the same length: one letter for one letter
    question = _folded(answer.question)
    asked_numbers = set(re.findall(r"\d+", answer.question))
    asked_words = {_singular(w) for w in re.findall(r"\w+", question)}
    dates = date_spans(quote.text)
    candidates, fitting = [], []
    for match in _number_pattern().finditer(folded):
        qualifier, digits, ordinal, word, scale, unit = match.groups()
        start, end = match.span(2) if digits else match.span(4)
        if ordinal or folded[end:end + 1] == "-" or any(s < end and start < e for s, e in dates) \
                or digits in asked_numbers:
            continue
        if word and written[start:end] not in table["number_words"]:
            continue  # "bà" (Mrs) folds to "ba" (three)
        value = _value(digits, quote.language) if digits else str(table["number_words"][written[start:end]])
        fact = NumberFact(value=value, scale=table["scales"].get(scale), unit=table["units"].get(unit),
                          qualifier=table["qualifiers"].get(qualifier))
        candidates.append((fact, bool(word) and not (scale or unit)))
        following = re.match(r"\s*(\w+)", folded[match.end():])
        if (unit and _singular(unit) in asked_words) or (following and _singular(following.group(1)) in asked_words):
            fitting.append(fact)
    if fitting:
        return fitting[0]
    # The quote's only number, unless it is a bare number word ("two sides", "hai bên").
    if len(candidates) == 1 and not candidates[0][1]:
        return candidates[0][0]
    return None


def _asked_titles(question: str) -> set[str]:
    """The titles a question names ("the Phnom Penh governor"), with their glossary
    equivalents in both languages ("đô trưởng"), folded."""
    asked = _question_words(question)
    titles: set[str] = set()
    for size in (3, 2, 1):
        for start in range(len(asked) - size + 1):
            phrase = " ".join(asked[start:start + size])
            group = _group_of(phrase)
            if group is not None and any(_is_title(w) for w in _term(group).en.split()):
                titles |= {_folded(p) for p in _groups()[group]}
            elif size == 1 and _is_title(phrase):
                titles.add(phrase)
    return titles


def _asks_identity(question: str) -> bool:
    """"Who is the governor?" / "Đô trưởng là ai?": the person holding the title is asked for."""
    asked = " ".join(_question_words(question))
    cues = words()["identity"]
    return (any(asked.startswith(f"{c} ") for c in cues["opening"])
            or any(asked == c or asked.endswith(f" {c}") for c in cues["closing"]))


def _titled(text: str, name: str, titles: set[str]) -> bool:
    """Whether one of `titles` is written just before the name."""
    window = " ".join(_folded(text[:max(text.find(name), 0)]).split()[-ROLE_WINDOW:])
    return any(f" {t} " in f" {window} " for t in titles)


def _names(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NameFact | None:
    asked = _asked(answer)
    found = [n for n in people(quote.text) if not _is_asked(n, asked)]
    # "Who is the Phnom Penh governor?" asks for the governor, not everyone in the sentence;
    # "Whom did the governor meet?" asks for everyone but the governor.
    titles = _asked_titles(answer.question)
    if titles:
        identity = _asks_identity(answer.question)
        found = [n for n in found if _titled(quote.text, n, titles) == identity] or found
    return NameFact(names=tuple(found[:MAX_NAMES])) if found else None


def _role(answer: Answer, quote: Quote, article: ArticleTexts | None) -> TermFact | None:
    """The title written before the person the question names."""
    asked = _asked(answer)
    for name in people(quote.text):
        if not _is_asked(name, asked):
            continue
        before = [w.strip("(),“”\"") for w in quote.text[:quote.text.find(name.split()[0])].split()][-ROLE_WINDOW:]
        for end in range(len(before), 0, -1):
            for start in range(0, end):
                group = _group_of(" ".join(before[start:end]))
                if group is not None and any(_is_title(w) for w in _term(group).en.split()):
                    return _term(group)
    return None


def place_in(text: str, asked: set[str]) -> TermFact | None:
    """The first capitalised place after "in", "at", "tại", "ở" that is not one of the `asked` words."""
    prepositions = {"in", "at", "to", "tai", "o", "den"}
    tokens = _WORD.findall(text)
    for i, token in enumerate(tokens[:-1]):
        if _folded(token) not in prepositions:
            continue
        run = []
        for word in tokens[i + 1:]:
            word = word.rstrip(".’'")
            if not (word[:1].isupper() and not word.isupper()):
                break
            run.append(word)
        for size in range(len(run), 0, -1):
            phrase = " ".join(run[:size])
            if _is_asked(phrase, asked):
                break
            group = _group_of(phrase)
            if group is not None:
                return _term(group)
        if len(run) >= 2 and not _is_asked(" ".join(run), asked):
            return TermFact(vi=" ".join(run), en=" ".join(run))
    return None


def _place(answer: Answer, quote: Quote, article: ArticleTexts | None) -> TermFact | None:
    return place_in(quote.text, _asked(answer))


FACTS = {"when": _date, "quantity": _number, "who": _names, "who_met": _names, "role": _role, "where": _place}


def short_answer(answer: Answer, article: ArticleTexts | None = None) -> Fact | None:
    """The fact of the answer's first quote that the question asks for, or None.

    `article` gives an article's paragraph texts, for the year of a date the sentence
    gives without one.
    """
    if not answer.answered or not answer.quotes or answer.kind not in FACTS:
        return None
    if len({q.citation for q in answer.quotes}) > 1 and answer.kind == "who_met":
        return None  # a list of meetings, each line with its own facts
    return FACTS[answer.kind](answer, answer.quotes[0], article)


__all__ = ["people", "place_in", "short_answer"]
