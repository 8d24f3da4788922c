"""The short answer line: one fact from the quote that answers the question in any language.

Only what carries across languages exactly is used: dates, numbers with their units,
people's names, places and titles the glossary translates ("Who is X?" is answered with
X's title; a yes/no question with yes or no, short/yes_no.py), and the rank a sentence gives
a measure where it gives no number (short/standing.py). The templates word the fact
in the reader's language. Questions whose answer is not such a fact (what was
agreed, why) get no short line, and neither does a quote without the fact asked for, nor
one from an article that does not name the places and people the question names: a
missing short line costs the reader less than a wrong one.
"""
from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable

from index.chunk import parts
from index.tokenize import fold

from ..answer import Answer, Citation, DateFact, Fact, NameFact, NumberFact, Quote, TermFact
from ..questions import common_words, function_words, is_yes_no, question_types
from .dates import (
    date_for,
    dates_in,
    day_dates,
    days_back_to_weekday,
    days_from_article_date,
    follows_on,
    says_same_day,
    usual_year,
    wanted_part,
)
from .numbers import asked_of, number_for
from .places import home_of, of_another_place, place_in, places_in
from .standing import standing_for
from .terms import content_words, groups, is_asked, is_place_group, question_words, singular
from .terms import meets as _meets
from .terms import folded as _folded
from .titles import (
    atoms,
    named_people,
    office_groups,
    office_shared,
    people,
    role_term,
    title_of,
    titles_of,
)
from .words import words
from .yes_no import verdict

MAX_NAMES = 3

ArticleTexts = Callable[[str], list[str]]  # doc id -> the article's paragraph texts


def _asked(answer: Answer) -> set[str]:
    """The question's words (with the previous question's, for a follow-up), folded."""
    topic = question_words(" ".join(answer.topic.words)) if answer.topic else []
    return set(question_words(answer.question)) | set(topic)


def _same_day(quote: Quote, citation: Citation, article: ArticleTexts | None) -> DateFact | None:
    """For "the same day" / "cùng ngày": the last day the article gave before the quote, else
    the article's own date; "today" and "yesterday" count from the article's date."""
    offset = days_from_article_date(quote.text)
    if offset is None and follows_on(quote.text):  # "Sau hội đàm, ...": the day of the talks told before
        return _day_before(quote, citation, article)
    if offset is None and says_same_day(quote.text):
        if (day := _day_before(quote, citation, article)) is not None:
            return dataclasses.replace(day, same_day=True)
        offset = 0
    try:
        written = datetime.date.fromisoformat(citation.date[:10]) if citation.date else None
    except ValueError:
        return None
    if offset is None and written is not None:  # "on Tuesday": the last Tuesday up to the article's day
        offset = days_back_to_weekday(quote.text, written)
    if offset is None or written is None:
        return None
    day = written + datetime.timedelta(days=offset)
    return DateFact(day.year, day.month, day.day, from_article_date=True)


def _day_before(quote: Quote, citation: Citation, article: ArticleTexts | None) -> DateFact | None:
    """The last day the article gives before the quote."""
    paragraph = citation.text
    texts = article(citation.doc) if article else [paragraph]
    before = texts[:texts.index(paragraph)] if paragraph in texts else []
    here = paragraph[:paragraph.find(quote.text)] if quote.text in paragraph else ""
    return next((days[-1] for days in map(day_dates, (here, *reversed(before))) if days), None)


def _dated_year(fact: DateFact, date: str | None) -> int | None:
    """The year of the article's date, for a day or month up to it: news tells of what has happened."""
    try:
        day = datetime.date.fromisoformat(date[:10]) if date else None
    except ValueError:
        return None
    if day is None or fact.month is None or (fact.month, fact.day or 1) > (day.month, day.day):
        return None
    return day.year


def _article_year(texts: list[str]) -> int | None:
    """The year of the article's first full date (its dateline, "October 23, 2025"), else the
    year it names most: an article on talks held this year names next year's plans too."""
    dated = next((d for text in texts for d in day_dates(text) if d.year is not None), None)
    return dated.year if dated else usual_year(texts)


def _name_words(question: str) -> frozenset[str]:
    """The words of a question's names and titles: capitalised after its first word ("Ngo Duc Hai",
    "Chile"), and the offices it names in any of their forms ("Bộ trưởng Ngoại giao": Foreign Minister)."""
    capitals = content_words(" ".join(w for i, w in enumerate(question.split()) if i and w[:1].isupper()))
    return capitals | {w for g in office_groups(atoms(question)) for phrase in groups()[g] for w in content_words(phrase)}


def _date(answer: Answer, quote: Quote, article: ArticleTexts | None) -> DateFact | None:
    citation = answer.citations[quote.citation - 1]
    fact = None
    if dates_in(quote.text):
        asked = content_words(" ".join([answer.question, *(answer.topic.words if answer.topic else ())]))
        fact = date_for(quote.text, asked, wanted_part(answer.question), asked - _name_words(answer.question))
    if fact is None and (not dates_in(quote.text) or follows_on(quote.text)):
        fact = _same_day(quote, citation, article)
    if fact is None:
        return None
    if fact.year is None:
        year = (_dated_year(fact, citation.date) or usual_year([citation.text])
                or (_article_year(article(citation.doc)) if article else None))
        if year is not None:
            fact = dataclasses.replace(fact, year=year, year_inferred=True)
    return fact


def _number(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NumberFact | TermFact | None:
    """The number asked for; a sentence ranking the measure asked about instead gives its rank."""
    if of_another_place(answer.question, quote.text):
        return None
    return (number_for(answer.question, quote.text, quote.language)
            or standing_for(answer.question, quote.text, quote.language))


def _measure(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NumberFact | TermFact | None:
    """A what-question that names a measure ("What is the population of Hanoi?", "Which
    anniversary ...?") is answered as its how-many twin is, by a number standing beside it;
    one asking a rank ("What rank does ... hold?") by the place the sentence gives."""
    asked = asked_of(answer.question)
    if not (asked.measured or asked.rank) or of_another_place(answer.question, quote.text):
        return None
    return (number_for(answer.question, quote.text, quote.language, measured_only=True)
            or standing_for(answer.question, quote.text, quote.language))


def _identity(question: str) -> str | None:
    """"Who is the governor?" / "Khuong Sreng là ai?" ask for one person ("one"), "Who were the
    leaders?" / "... là những ai?" for several ("many"); other who-questions for neither (None)."""
    asked = " ".join(question_words(question.split(",")[-1]))  # "Xin chào, ai là ...?"
    for key, number in (("identities", "many"), ("identity", "one")):
        cues = words()[key]
        if (any(asked.startswith(f"{c} ") for c in cues["opening"])
                or any(asked == c or asked.endswith(f" {c}") for c in cues["closing"])):
            return number
    return None


def _only_names(question: str, name: str) -> bool:
    """Whether the question holds nothing but the person's name and question or function words:
    "Who is Khuong Sreng?" asks who he is, "Who is the man Khuong Sreng met?" does not."""
    return not set(question_words(question)) - set(_folded(name).split()) - common_words() - {""}


def _texts(answer: Answer, quote: Quote, article: ArticleTexts | None) -> tuple[str, ...]:
    """Where a person's title is looked for: the quote, its paragraph, then the article in order."""
    citation = answer.citations[quote.citation - 1]
    return quote.text, citation.text, *(article(citation.doc) if article else [])


def _titled(answer: Answer, texts: tuple[str, ...]) -> tuple[str, list[str], str] | None:
    """The first person the question names to whom `texts` give a title: the name, the
    title and the text giving it."""
    asked = _asked(answer)
    for text in texts:
        for name in people(text):
            title = title_of(text, name) if is_asked(name, asked) else None
            if title:
                return name, title, text
    return None


def _asked_title(answer: Answer, quote: Quote, article: ArticleTexts | None) -> tuple[str, list[str]] | None:
    """The person the question names and their title, from the quote, else its paragraph, else
    the first titled mention in the article; written out as fully as the article once does
    ("Chủ tịch" is "Chủ tịch UBND thành phố Hải Phòng" where the article said so)."""
    texts = _texts(answer, quote, article)
    found = _titled(answer, texts)
    return (found[0], _fullest(found[1], found[0], texts)) if found else None


def title_source(answer: Answer, article: ArticleTexts) -> tuple[str, str, str] | None:
    """For "Who is X?" and "What is X's title?" answered with a quote that does not give X's
    title: where the title is written, as (doc, the text of one of its paragraphs, sentence), so that the answer
    quotes the sentence its short line comes from (a reader checks the one against the other;
    the multilingual encoder prefers a sentence about X to the one saying what X is)."""
    if not answer.answered or not answer.quotes or answer.kind not in ("who", "role") or is_yes_no(answer.question):
        return None  # a yes or a no rests on the sentence chosen for it
    quote = answer.quotes[0]
    texts = _texts(answer, quote, article)
    found = _titled(answer, texts)
    if found is None:
        return None
    name, title, text = found
    if answer.kind == "who" and not (_identity(answer.question) == "one" and _only_names(answer.question, name)):
        return None
    # The sentence giving the title as fully as the short line writes it (the body's, not a caption's short one):
    # "Đại sứ Maarten de Groot" is the "Đại sứ Vương quốc Hà Lan tại Việt Nam" of a paragraph before.
    fullest = _fullest(title, name, texts)
    if text == quote.text and title_of(quote.text, name) == fullest:
        return None
    text = next((t for t in texts[1:] if title_of(t, name) == fullest), text)  # a paragraph's text
    sentence = next((s for s, _, _ in parts(text) if title_of(s, name) == fullest), None) \
        or next((s for s, _, _ in parts(text) if title_of(s, name)), None)
    return (answer.citations[quote.citation - 1].doc, text, sentence) if sentence and sentence != quote.text else None


def _fullest(title: list[str], name: str, texts: tuple[str, ...]) -> list[str]:
    """The longest title written beside the name that holds every word of `title`."""
    words = {_folded(w) for w in title}
    fuller = [t for t in titles_of(name, texts) if words <= {_folded(w) for w in t}]
    return max([title, *fuller], key=len)


def _names(answer: Answer, quote: Quote, article: ArticleTexts | None) -> NameFact | TermFact | None:
    """The people the question asks for; for "who is X?", X's title instead.

    A title in the question says who is asked for: "Who is the Phnom Penh governor?" asks for
    the one person whose title shares an office with it (none, or two alike, give no line);
    "Whom did the governor meet?" for everyone but the governor."""
    identity = _identity(answer.question) if answer.kind == "who" else None
    if identity == "one" and (found := _asked_title(answer, quote, article)) and _only_names(answer.question, found[0]):
        return role_term(found[1], quote.language, answer.language)
    offices = office_groups(atoms(answer.question))
    if answer.kind == "who" and not identity and offices and not _meets(answer.question):
        identity = "one"  # "Who chairs the party?" asks for its chairman
    asked = _asked(answer)
    everyone = people(quote.text)
    meeting = answer.kind == "who_met" or _meets(answer.question)
    party = [n for n in everyone if is_asked(n, asked) or meeting and _of_asked_place(answer.question, quote.text, n)]
    if not party and offices and not identity:  # "Who did the Sakai mayor meet?": the mayor is asked about
        party = [n for n, count in office_shared(quote.text, answer.question, everyone).items() if count]
    named = _other_side(quote.text, party, [n for n in everyone if n not in party], _asked_side(answer.question))
    if not offices:
        found = named if identity != "one" else []
        if not identity and not _meets(answer.question) and (len(found) > 1 or _meets(quote.text)):
            return None  # "Who led the delegation?": which of those met the sentence does not say
        return NameFact(names=tuple(found[:MAX_NAMES])) if found else None
    shared = office_shared(quote.text, answer.question, named)
    if identity:
        best = max(shared.values(), default=0)
        found = [n for n, count in shared.items() if count and (count == best or identity == "many")]
        if identity == "one" and len(found) != 1:
            return None
    else:
        found = [n for n, count in shared.items() if not count]
    return NameFact(names=tuple(found[:MAX_NAMES])) if found else None


def _of_asked_place(question: str, text: str, name: str) -> bool:
    """Whether the person's title names a place a meeting question names, one the glossary may lack:
    "Bí thư Tỉnh ủy Quảng Trị Lê Quang Thịnh" leads the delegation "Đoàn Quảng Trị hội đàm với ai?" asks about."""
    title = " ".join(title_of(text, name) or [])
    capitals = [w for w in question.split()[1:] if w[:1].isupper()]
    return bool(title) and any(f" {_folded(' '.join(capitals[i:i + 2]))} " in f" {_folded(title)} "
                               for i in range(len(capitals) - 1))


def _meeting_words(text: str) -> list[int]:
    """Where the meeting words of a folded text stand."""
    return sorted(m.start() for w in question_types()["meeting"] if fold(w) in text  # else no pattern to compile
                  for m in re.finditer(rf"(?<!\w){re.escape(fold(w))}(?!\w)", text))


def _asked_side(question: str) -> str | None:
    """Whether a who-question asks who did the meeting ("Who received ...?", "Ai tiếp ...?":
    "subject") or whom it was done to ("... hội đàm với ai?", "Whom did ... meet?": "object")."""
    plain = " ".join(question_words(question))
    verbs = _meeting_words(plain)
    asking = [m.start() for m in re.finditer(r"(?<!\w)(?:who|whom|ai)(?!\w)", plain)]
    if not verbs or not asking or len(asking) > 1:
        return None  # no meeting, or "who met whom?"
    between = plain[asking[0]:verbs[0]].split()[1:]
    if asking[0] < verbs[0] and all(w in function_words() for w in between) and len(between) <= 1:
        return "subject"
    if asking[0] > verbs[0] or between[:1] and between[0] in words()["auxiliaries"]:
        return "object"  # "... gặp ai?", "Whom did Tran Sy Thanh meet?"
    return None  # "Who attended the conference?"


def _other_side(text: str, asked: list[str], others: list[str], side: str | None = None) -> list[str]:
    """Of the `others` a sentence names, those across its meeting word from the person asked
    about: "Dinh Tien Dung paid courtesy calls on Hun Sen; Heng Samrin; Say Chhum" answers
    "Who met Hun Sen?" with Dinh Tien Dung alone, "Whom did Dinh Tien Dung meet?" with the
    three. With no one asked about, the `side` the question asks for: "Who received the
    delegation?" those before the meeting word. All of them when that side names no one."""
    plain = _folded(text)
    where = {n: plain.find(_folded(n)) for n in [*asked, *others]}
    verbs = _meeting_words(plain)
    if not verbs:
        return others
    if asked:
        verb = min(verbs, key=lambda v: abs(v - where[asked[0]]))  # the meeting the person asked about is in
        after = where[asked[0]] < verb
    elif side:
        verb = next((v for v in verbs if any(p < v for p in where.values()) and any(p > v for p in where.values())),
                    verbs[0])
        after = side == "object"
    else:
        return others
    chosen = [n for n in others if (where[n] > verb) == after]
    return chosen or others


def _role(answer: Answer, quote: Quote, article: ArticleTexts | None) -> TermFact | None:
    """The title of the person the question names, as the articles give it, in the asker's language."""
    found = _asked_title(answer, quote, article)
    return role_term(found[1], quote.language, answer.language) if found else None


def _home(answer: Answer, quote: Quote) -> TermFact | None:
    return home_of(answer.citations[quote.citation - 1].title)


def _place(answer: Answer, quote: Quote, article: ArticleTexts | None) -> TermFact | None:
    """The place the quote says it happened at, but for one this question names: "and where?"
    after "When did Khuong Sreng visit Hanoi?" is answered Hanoi. A quote going on from the
    sentence before ("Sau hội đàm, hai bên đã ký ...") happened where that one says."""
    asked, home = set(question_words(answer.question)), _home(answer, quote)
    found = _place_of_what_is_asked(quote.text, places_in(quote.text, asked, home),
                                    content_words(answer.question) - _name_words(answer.question))
    paragraph = answer.citations[quote.citation - 1].text
    if found is None and follows_on(quote.text) and quote.text in paragraph:
        found = place_in(paragraph[:paragraph.find(quote.text)], asked, home)
    return found


def _place_of_what_is_asked(text: str, found: list[TermFact], asked: frozenset[str]) -> TermFact | None:
    """Of the places a sentence gives, the first with a word of what is asked just before it ("a ...
    factory in the Deep C Industrial Zone in Hai Phong" for "Where will Brenner build its factory?",
    not "invest $1.2 billion in Vietnam"), else the first."""
    plain = _folded(text)
    for place in found:
        at = min((i for i in (plain.find(_folded(place.en)), plain.find(_folded(place.vi))) if i >= 0), default=-1)
        if at > 0 and {singular(w) for w in re.findall(r"\w+", plain[:at])[-PLACE_REACH:]} & asked:
            return place
    return found[0] if found else None


PLACE_REACH = 8  # words before a place that say what is there


FACTS = {"when": _date, "quantity": _number, "what": _measure, "who": _names, "who_met": _names, "role": _role, "where": _place}


def _named(question: str) -> list[frozenset[str]]:
    """The places and people a question names, each as the folded ways an article may write it."""
    found = [frozenset(_folded(p) for p in groups()[g]) for g in atoms(question) if is_place_group(g)]
    return found + [frozenset({_folded(name)}) for name in named_people(question)]


def _speaks_of(answer: Answer, quote: Quote, article: ArticleTexts | None) -> bool:
    """Whether the quoted article names every place and person the question names, and, for a
    question about a meeting or a visit, says something happened at each place the question
    says it happened at ("in Hanoi"): a quote from an article about another city, or another
    meeting, answers another question."""
    citation = answer.citations[quote.citation - 1]
    question = answer.topic.question if answer.topic else answer.question  # its names as mended
    named = _named(question)
    if not named and not _meets(question):  # nothing to look for: the article is not read
        return True
    texts = article(citation.doc) if article else [citation.text]
    text = _folded(" ".join(texts))
    if not all(any(p in text and re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text) for p in ways) for ways in named):
        return False
    if not _meets(question):
        return True
    home = _home(answer, quote)
    located = {place for paragraph in texts for place in places_in(paragraph, set(), home)}
    return all(place in located for place in places_in(question, set()))


def short_answer(answer: Answer, article: ArticleTexts | None = None) -> Fact | None:
    """The fact of the answer's first quote that the question asks for, or None.

    `article` gives an article's paragraph texts, for the year of a date the sentence
    gives without one, a person's title and what the article is about.
    """
    if not answer.answered or not answer.quotes:
        return None
    question = answer.topic.question if answer.topic else answer.question  # its names as mended
    if len({q.citation for q in answer.quotes}) > 1 and answer.kind == "who_met" \
            or not _speaks_of(answer, answer.quotes[0], article):
        return None  # a list of meetings, each line with its own facts; or an article on other places
    if is_yes_no(question):
        quote = answer.quotes[0]
        doc = answer.citations[quote.citation - 1].doc
        return verdict(question, quote, _home(answer, quote), article(doc) if article else ())
    return FACTS[answer.kind](answer, answer.quotes[0], article) if answer.kind in FACTS else None


__all__ = ["people", "place_in", "places_in", "short_answer", "title_source"]
