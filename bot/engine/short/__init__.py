"""The short answer line: one fact from the quote that answers the question in any language.

Only what carries across languages exactly is used: dates, numbers with their units,
people's names, and places and titles the glossary translates. The templates word the
fact in the reader's language. Questions whose answer is not such a fact (what was
agreed, why) get no short line, and neither does a quote without the fact asked for, nor
one from an article that does not name the places and people the question names: a
missing short line costs the reader less than a wrong one.
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from ..answer import Answer, DateFact, Fact, NameFact, NumberFact, Quote, TermFact
from ..questions import common_words
from .dates import dates_in, day_dates, says_same_day, usual_year
from .numbers import asked_of, number_for
from .terms import content_words, groups, is_place_group, singular
from .terms import folded as _folded
from .terms import group_of as _group_of
from .terms import is_title as _is_title
from .terms import term as _term
from .titles import atoms, office_groups, role_term, title_of
from .words import words

MAX_NAMES = 3
TITLE_WINDOW = 6  # words before a name run that may hold a title
BRACKETED = 6  # words before a bracket that a date in it belongs to
_WORD = re.compile(r"[^\W_][\w’'.-]*")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*$")

ArticleTexts = Callable[[str], list[str]]  # doc id -> the article's paragraph texts


def _question_words(question: str) -> list[str]:
    """A question's words in order, folded, without the punctuation around them or a possessive "'s"."""
    return [re.sub(r"['’]s$", "", w.strip("?.,!:;“”\"'’")) for w in _folded(question).split()]


def _asked(answer: Answer) -> set[str]:
    """The question's words (with the previous question's, for a follow-up), folded."""
    topic = _question_words(" ".join(answer.topic.words)) if answer.topic else []
    return set(_question_words(answer.question)) | set(topic)


def _is_asked(name: str, asked: set[str]) -> bool:
    return all(w in asked for w in _folded(name).split())


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


def _asked_date(answer: Answer, quote: Quote) -> DateFact | None:
    """Of the quote's dates, the one that belongs to what is asked: the date of the list item
    (between semicolons) that shares most words with the question, the first of equals. A date
    in brackets belongs to the words just before it ("diplomatic relations (June 24, 1967 –
    ...)") and answers only when they are asked about."""
    found = dates_in(quote.text)
    if not found:
        return None
    asked = content_words(" ".join([answer.question, *(answer.topic.words if answer.topic else ())]))
    folded = _folded(quote.text)
    best, best_shared = None, -1
    for fact, (start, _) in found:
        if folded.count("(", 0, start) > folded.count(")", 0, start):
            context = folded[:folded.rfind("(", 0, start)].split()[-BRACKETED:]
            if not {singular(w) for w in context} & asked:
                continue
        item = folded[folded.rfind(";", 0, start) + 1:(folded.find(";", start) + 1 or len(folded) + 1) - 1]
        shared = len({singular(w.strip(".,:()“”")) for w in item.split()} & asked)
        if shared > best_shared:
            best, best_shared = fact, shared
    return best


def _date(answer: Answer, quote: Quote, article: ArticleTexts | None) -> DateFact | None:
    citation = answer.citations[quote.citation - 1]
    if dates_in(quote.text):
        fact = _asked_date(answer, quote)
    else:
        fact = _same_day(quote, citation.text, article, citation.doc)
    if fact is None:
        return None
    if fact.year is None:
        year = usual_year([citation.text]) or (usual_year(article(citation.doc)) if article else None)
        if year is not None:
            fact = dataclasses.replace(fact, year=year, year_inferred=True)
    return fact


def _number(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NumberFact | None:
    return number_for(answer.question, quote.text, quote.language)


def _measure(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NumberFact | None:
    """A what-question that names a measure ("What is the population of Hanoi?", "Which
    anniversary ...?") is answered as its how-many twin is, by a number standing beside it."""
    if not asked_of(answer.question).measured:
        return None
    return number_for(answer.question, quote.text, quote.language, measured_only=True)


def _identity(question: str) -> str | None:
    """"Who is the governor?" / "Khuong Sreng là ai?" ask for one person ("one"), "Who were the
    leaders?" / "... là những ai?" for several ("many"); other who-questions for neither (None)."""
    asked = " ".join(_question_words(question.split(",")[-1]))  # "Xin chào, ai là ...?"
    for key, number in (("identities", "many"), ("identity", "one")):
        cues = words()[key]
        if (any(asked.startswith(f"{c} ") for c in cues["opening"])
                or any(asked == c or asked.endswith(f" {c}") for c in cues["closing"])):
            return number
    return None


def _only_names(question: str, name: str) -> bool:
    """Whether the question holds nothing but the person's name and question or function words:
    "Who is Khuong Sreng?" asks who he is, "Who is the man Khuong Sreng met?" does not."""
    return not set(_question_words(question)) - set(_folded(name).split()) - common_words() - {""}


def _asked_title(answer: Answer, quote: Quote, article: ArticleTexts | None) -> tuple[str, list[str]] | None:
    """The person the question names and their title, from the quote, else its paragraph, else
    the first titled mention in the article."""
    asked = _asked(answer)
    citation = answer.citations[quote.citation - 1]
    for text in (quote.text, citation.text, *(article(citation.doc) if article else [])):
        for name in people(text):
            title = title_of(text, name) if _is_asked(name, asked) else None
            if title:
                return name, title
    return None


def _names(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NameFact | TermFact | None:
    """The people the question asks for; for "who is X?", X's title instead.

    A title in the question says who is asked for: "Who is the Phnom Penh governor?" asks for
    the one person whose title shares an office with it (none, or two alike, give no line);
    "Whom did the governor meet?" for everyone but the governor."""
    identity = _identity(answer.question) if answer.kind == "who" else None
    if identity == "one" and (found := _asked_title(answer, quote, article)) and _only_names(answer.question, found[0]):
        return role_term(found[1], quote.language, answer.language)
    asked_atoms = atoms(answer.question)
    offices = office_groups(asked_atoms)
    asked = _asked(answer)
    named = [n for n in people(quote.text) if not _is_asked(n, asked)]
    if not offices:
        found = named if identity != "one" else []
        return NameFact(names=tuple(found[:MAX_NAMES])) if found else None
    shared = {}
    for name in named:
        title = title_of(quote.text, name) or []
        held = atoms(" ".join(title)) & asked_atoms
        # The deputy mayor is not the mayor asked for, nor the reverse.
        same_rank = _is_deputy(" ".join(title)) == _is_deputy(answer.question)
        shared[name] = len(held) if held & offices and same_rank else 0
    if identity:
        best = max(shared.values(), default=0)
        found = [n for n, count in shared.items() if count and (count == best or identity == "many")]
        if identity == "one" and len(found) != 1:
            return None
    else:
        found = [n for n, count in shared.items() if not count]
    return NameFact(names=tuple(found[:MAX_NAMES])) if found else None


def _is_deputy(text: str) -> bool:
    return any(w in words()["deputies"] for w in _question_words(text))


def _role(answer: Answer, quote: Quote, article: ArticleTexts | None) -> TermFact | None:
    """The title of the person the question names, as the articles give it, in the asker's language."""
    found = _asked_title(answer, quote, article)
    return role_term(found[1], quote.language, answer.language) if found else None


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


FACTS = {"when": _date, "quantity": _number, "what": _measure, "who": _names, "who_met": _names, "role": _role, "where": _place}


def _named(question: str) -> list[frozenset[str]]:
    """The places and people a question names, each as the folded ways an article may write it."""
    found = [frozenset(_folded(p) for p in groups()[g]) for g in atoms(question) if is_place_group(g)]
    for run in _runs(question):
        parts, _ = _strip_titles(run.split())
        name = " ".join(parts)
        # Not the start of a glossary phrase: "Bộ Chính trị" is the Politburo, no person.
        if len(parts) >= 2 and not any(_group_of(f"{name} {w}") is not None
                                       for w in question[question.find(name) + len(name):].split()[:1]):
            found.append(frozenset({_folded(name)}))
    return found


def _speaks_of(answer: Answer, quote: Quote, article: ArticleTexts | None) -> bool:
    """Whether the quoted article names every place and person the question names: a quote
    from an article about other cities answers another question, whatever fact it holds."""
    citation = answer.citations[quote.citation - 1]
    text = _folded(" ".join(article(citation.doc) if article else [citation.text]))
    question = answer.topic.question if answer.topic else answer.question  # its names as mended
    return all(any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in ways) for ways in _named(question))


def short_answer(answer: Answer, article: ArticleTexts | None = None) -> Fact | None:
    """The fact of the answer's first quote that the question asks for, or None.

    `article` gives an article's paragraph texts, for the year of a date the sentence
    gives without one, a person's title and what the article is about.
    """
    if not answer.answered or not answer.quotes or answer.kind not in FACTS:
        return None
    if len({q.citation for q in answer.quotes}) > 1 and answer.kind == "who_met":
        return None  # a list of meetings, each line with its own facts
    if not _speaks_of(answer, answer.quotes[0], article):
        return None
    return FACTS[answer.kind](answer, answer.quotes[0], article)


__all__ = ["people", "place_in", "short_answer"]
