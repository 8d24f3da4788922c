"""Numbers in a sentence, and the one a question asks for.

"nearly nine million", "7,79%", "55th anniversary", "136 sacks": a number token whole (never
"19" of "COVID-19"), with its qualifier, scale and unit. The question says which one: the unit
it asks for ("what percentage", "bao nhiêu năm"), the noun it counts ("how many tourists"), the
words it names beside the number ("the population of ..."). A number the question gives
itself ("hai nước", "in 2022") is not its answer.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from index.sentences import numbers_written
from index.tokenize import fold, has_diacritics

from ..answer import NumberFact
from ..dictionary import en_key
from ..questions import common_words, function_words, glossary
from .dates import date_spans, dates_in
from .terms import content_words, groups, is_place_group, singular
from .titles import atoms, named_people
from .words import words

NEAR = 3  # words before a number that may name what it measures ("population of nearly")
COUNTED = 3  # words after "how many" that name what is counted
# Units that count the same thing: "the 55th anniversary" answers "how many years".
CURRENCIES = frozenset({"usd", "vnd", "jpy", "eur", "krw", "thb", "cny", "aud", "gbp", "sgd"})
_ALIKE = {frozenset({"anniversary", "years"}), *(frozenset({"money", c}) for c in CURRENCIES)}
# Units a number is always written with: "how much will it cost" is not answered by "12".
_WRITTEN = {"percent", "money", *CURRENCIES}


@dataclass(frozen=True)
class Reading:
    fact: NumberFact
    start: int
    word: bool  # written as a word ("nine"), not in digits
    following: str | None  # the content word right after it, if no punctuation comes first
    before: tuple[str, ...]  # the words before it, nearest last
    clause: frozenset[str]  # the words of its clause (between commas, semicolons, brackets)
    end: int
    unit_words: frozenset[str] = frozenset()  # its unit as written and as named, singular ("luot", "khach", "visitor")
    said: str = ""  # its clause, folded
    after: tuple[str, ...] = ()  # the words right after it, up to the noun it counts ("restoration specialists")


@dataclass(frozen=True)
class Asked:
    unit: str | None  # the unit asked for, as the units table names it ("percent", "years")
    words: frozenset[str]  # the question's content words and their glossary equivalents, folded, singular
    numbers: frozenset[str]  # the values the question gives itself
    counts: bool  # it names the noun it counts ("how many balls"), not only a measure
    rank: bool  # it asks for a rank ("đứng thứ mấy"), which no count answers
    measured: bool  # it names a measure ("population", "tỷ lệ"): a number answers it
    names: frozenset[str] = frozenset()  # the words of the places and people it names, folded
    kinds: frozenset[str] = frozenset()  # the place the counted noun is of ("Japanese visitors"), in any of its forms
    measures: frozenset[str] = frozenset()  # the measures it names, and their glossary equivalents, folded
    change: bool = False  # it asks by how much something rose or fell ("tăng bao nhiêu", "How much did ... grow?")
    counted: str | None = None  # the noun it counts, singular ("how many agreements": "agreement")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    table = words()

    def alternatives(keys) -> str:
        return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))

    return re.compile(
        rf"(?:\b({alternatives(table['qualifiers'])})\s+)?"
        # A whole number token: not the "19" of "COVID-19", not a part of "1.200,5".
        rf"(?:({alternatives(table['currency_signs'])})?(?<![\w.,])(?<!\w-)(\d+(?:[.,]\d+)*)(?!\d)(st|nd|rd|th)?"
        rf"|\b({alternatives({fold(w) for w in table['number_words']})})\b)"
        rf"(?:\s*\b({alternatives(table['scales'])})\b)?"
        rf"(?:\s*(?:of\s+)?({alternatives(table['units'])})(?!\w))?")


def _value(digits: str, language: str) -> str:
    if language == "vi":
        digits = re.sub(r"\.(?=\d{3}\b)", "", digits).replace(",", ".")
    else:
        digits = digits.replace(",", "")
    return digits


def readings(text: str, language: str) -> list[Reading]:
    """The numbers of `text` that are not part of a date, a range or a compound ("5-time")."""
    table = words()
    written = unicodedata.normalize("NFC", text).casefold()
    folded = fold(written)  # the same length: one letter for one letter
    dates = date_spans(text)
    found = []
    for match in _pattern().finditer(folded):
        qualifier, sign, digits, ordinal, word, scale, unit = match.groups()
        start, end = match.span(3) if digits else match.span(5)
        unit = table["units"].get(unit) or table["currency_signs"].get(sign)
        if (ordinal and unit != "anniversary") or folded[end:end + 1] == "-" \
                or any(s < end and start < e for s, e in dates):
            continue
        if word and written[start:end] not in table["number_words"]:
            continue  # "bà" (Mrs) folds to "ba" (three)
        value = _value(digits, language) if digits else str(table["number_words"][written[start:end]])
        fact = NumberFact(value=value, scale=table["scales"].get(scale), unit=unit,
                          qualifier=table["qualifiers"].get(qualifier))
        after = re.match(r"\s*(\w+)", folded[match.end():])
        following = after.group(1) if after and after.group(1) not in function_words() else None
        before = tuple(re.findall(r"\w+", folded[:match.start()])[-NEAR:])
        named = {singular(w) for w in f"{match.group(7) or ''} {unit or ''}".split()}
        reading = Reading(fact, match.start(), bool(word), following, before, _clause(folded, start), match.end(),
                          frozenset(named), _clause_text(folded, start),
                          tuple(re.findall(r"\w+", folded[match.end():])[:COUNTED - 1]))
        if found and _RANGE.fullmatch(folded[found[-1].end:match.start()]):
            # "from 20 to 40", "từ 20 lên 35": the number it comes to, where the first stood.
            first = found.pop()
            reading = dataclasses.replace(reading, start=first.start, before=first.before,
                                          clause=first.clause | reading.clause)
        found.append(reading)
    return found


_RANGE = re.compile(r"\s+(?:to|len|den|toi)\s+")
_CLAUSE_EDGE = re.compile(r"[;:()]|[,.](?=\s|$)")


def _clause_text(folded: str, position: int) -> str:
    edges = [m.start() for m in _CLAUSE_EDGE.finditer(folded)]
    start = max((e for e in edges if e < position), default=-1) + 1
    end = min((e for e in edges if e >= position), default=len(folded))
    return folded[start:end]


def _clause(folded: str, position: int) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", _clause_text(folded, position)))


def _units_alike(a: str | None, b: str | None) -> bool:
    return a is not None and (a == b or frozenset({a, b}) in _ALIKE)


@lru_cache(maxsize=256)
def asked_of(question: str) -> Asked:
    """What a question says of the number it asks for."""
    table = words()
    written = [re.sub(r"['’]s$", "", w.strip("?.,!:;“”\"'’"))
               for w in unicodedata.normalize("NFC", question).casefold().split()]
    written = [w for w in written if w]
    tokens = [fold(w) for w in written]
    common, function = common_words(), function_words()
    # Measures are matched as written: "tiền" (money) is not "Tiến" (a name), unless the
    # question is typed without diacritics.
    seen = written if has_diacritics(question) else tokens
    measures = {(k if seen is written else fold(k)): unit for k, unit in table["measures"].items()}
    unit, measured, named = None, False, set()
    for i in range(len(seen)):
        for n in (3, 2, 1):
            phrase = " ".join(seen[i:i + n])
            if phrase in measures:
                measured, unit = True, unit or measures[phrase]
                named |= {fold(phrase)} | {fold(p.casefold()) for g in glossary().get(en_key(phrase), ()) for p in groups()[g]}
    text = " ".join(tokens)
    counts, after_cue, counted_words, counted_first = False, set(), set(), []
    for cue in table["counting"]:  # "how many tourists", "bao nhiêu năm": the counted noun's unit
        match = re.search(rf"(?<!\w){re.escape(cue)}((?:\s+\S+){{1,{COUNTED}}})", text)
        counted = match.group(1).split() if match else []
        counted = counted[:next((i for i, w in enumerate(counted) if w in function), len(counted))]
        counts = counts or bool(counted)
        after_cue |= set(counted[:1])
        counted_first += counted[:1]
        counted_words |= set(counted)
        for n in (3, 2, 1):
            for i in range(len(counted) - n + 1):
                unit = unit or table["units"].get(" ".join(counted[i:i + n]))
    # The numbers it gives: "in 2022", "hai nước"; not "năm 2025" or "bao nhiêu năm", where
    # "năm" is "year".
    numbers = {_value(d, "en") for d in re.findall(r"\d+(?:[.,]\d+)*", question)}
    numbers |= {str(table["number_words"][w]) for w, after in zip(written, [*written[1:], "0"])
                if w in table["number_words"] and fold(w) not in after_cue
                and not after.isdigit() and fold(after) not in common}
    rank = any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", text) for cue in table["rank"])
    # "Did the GRDP grow 15%?": the unit of the number it gives, when it asks for none.
    unit = unit or next((r.fact.unit for r in readings(question, "en") if r.fact.unit), None)
    places = [[fold(p.casefold()) for p in groups()[g]] for g in atoms(question) if is_place_group(g)]
    names = frozenset(w for name in [*sum(places, []), *named_people(question)] for w in fold(name.casefold()).split())
    kinds = frozenset(w for forms in places if any(set(f.split()) & counted_words for f in forms)
                      for f in forms for w in f.split())
    # The noun it counts is a word of it even where it is a cue word ("how many officials").
    counted_nouns = {singular(w) for w in counted_words if w not in function}
    return Asked(unit=unit, words=content_words(question) | counted_nouns, numbers=frozenset(numbers), counts=counts,
                 measured=measured, rank=rank, names=names, kinds=kinds, measures=frozenset(named),
                 counted=next((singular(w) for w in counted_first if w not in function), None),
                 change=any(w in table["changes"] and f"{w} {after}" != "tang truong"  # "tăng trưởng": growth, a measure
                            for w, after in zip(tokens, [*tokens[1:], ""])))


def number_for(question: str, text: str, language: str, measured_only: bool = False,
               own: bool = False) -> NumberFact | None:
    """The number of `text` the question asks for: one in the unit asked, else one beside a
    word of the question ("88 tackles", "population of nearly nine million"), else the only
    number when nothing speaks against it; of several, the one whose clause shares most words
    with the question. None when unsure. `measured_only`: never the only number by default (a
    what-question names its measure, and the number must stand by it). `own`: the numbers the
    question gives may answer it too (a yes/no question checks them)."""
    asked = asked_of(question)
    if asked.rank:
        return rank_in(text)
    years = dated_years(question)
    found = [r for r in readings(text, language) if (own or r.fact.value not in asked.numbers)
             and not _of_another_year(years, r.said)]

    def unit_fits(r: Reading) -> bool:
        return _units_alike(r.fact.unit, asked.unit) or bool(r.unit_words & asked.words)

    def changed(r: Reading) -> bool:
        """By how much it rose or fell, for a question asking that: "tăng 7,5%", "up 11 percent"
        (in any unit: a rise in money is often given as a percentage); of the measure the question
        names, where it names one: "kim ngạch ... đạt 3,8 tỷ USD, tăng 7,5%", not "hàng hóa đạt 186
        triệu tấn, tăng 9,5%; tăng trưởng GRDP đạt 11,2%" for GRDP."""
        if not (asked.change and set(r.before[-2:]) & set(words()["changes"])):
            return False
        earlier = [o for o in found if o.end <= r.start]
        return not asked.measures or measures(r) or bool(earlier) and measures(earlier[-1])

    counted = {asked.counted, *content_words(asked.counted)} if asked.counted else set()  # with its glossary forms

    def counts_asked(r: Reading) -> bool:
        """A count of the noun asked, named right after it: "five cooperation agreements", "1.5
        million tonnes of rice", "2,35 tỷ USD vốn đầu tư" for FDI (through the glossary)."""
        return any(singular(w) in counted for w in r.after)

    def clashes(r: Reading) -> bool:
        """In another unit, or a count of another noun ("four interceptions" for "how many balls")."""
        if unit_fits(r) or counts_asked(r) or changed(r):
            return False
        if asked.unit is not None and (r.fact.unit is not None or asked.unit in _WRITTEN):
            return True
        if not asked.counts:
            return False
        return r.fact.unit is not None or r.following is not None and singular(r.following) not in asked.words

    def beside(r: Reading) -> bool:
        """Next to a word of the question: the noun after it, or a word just before it
        ("population of nearly nine million"; not for a number word alone: "năm" is also "year").
        The places and people it names before it are what the number is of, not what it
        counts: "trao tặng thủ đô Viêng Chăn 2,5 tỷ đồng" is no population of Vientiane; nor is
        a number counting a noun after it that the question does not name ("a trade mission of
        about 25 agribusinesses" is no trade)."""
        if r.following is not None:
            return (singular(r.following) in asked.words or r.fact.unit is not None and _before(r)
                    or any(singular(w) in asked.words for w in r.after))
        return not _bare(r) and _before(r)

    def _before(r: Reading) -> bool:
        """A word of the question just before it, but a name or a number the question gives ("in 2025, up 9.2%")."""
        return any(singular(w) in asked.words - asked.names - asked.numbers for w in r.before)

    def measures(r: Reading) -> bool:
        """In a clause naming the measure asked ("tăng trưởng GRDP của thành phố đạt 11,2%"), not
        a number word alone ("hằng năm", every year, is no five)."""
        return not _bare(r) and any(re.search(rf"(?<!\w){re.escape(m)}(?!\w)", r.said) for m in asked.measures)

    fitting = [r for r in found if not clashes(r) and (unit_fits(r) or beside(r) or measures(r) or changed(r))]
    if asked.kinds and fitting:  # "How many Japanese visitors": a number of visitors from elsewhere is none
        fitting = [r for r in fitting if r.clause & asked.kinds]
        if not fitting:
            return None
    if fitting:
        best = max(fitting, key=lambda r: (changed(r), _units_alike(r.fact.unit, asked.unit), unit_fits(r),
                                           len({singular(w) for w in r.clause} & asked.words),
                                           not r.word, -r.start))
        unit = asked.unit if _units_alike(best.fact.unit, asked.unit) and asked.unit != "money" else best.fact.unit
        return dataclasses.replace(best.fact, unit=unit)
    if measured_only or len(found) != 1:
        return None
    only = found[0]
    # A number word alone ("two sides"), a number of something else ("10 officials") or in
    # another unit is no answer.
    return None if _bare(only) or clashes(only) or only.following is not None else only.fact


def dated_years(text: str) -> set[int]:
    """The years `text` dates things in, but one it compares with: "tăng 18,6% so với năm 2024",
    "up 11 percent from 2024"."""
    folded = fold(text.casefold())
    return {fact.year for fact, (start, _) in dates_in(text)
            if fact.year is not None and not _COMPARED.search(folded[:start])}


# What comes before a year a number is compared with, folded.
_COMPARED = re.compile(r"(?:so voi|compared (?:to|with)|from|than|against|over)\s+(?:\S+\s+){0,3}?$")


def _of_another_year(asked: set[int], clause: str) -> bool:
    """Whether a number's clause tells of other years than those the question asks of: "Nghệ An
    đặt mục tiêu xuất khẩu năm 2026 bao nhiêu?" is not answered by "năm 2025 kim ngạch ... đạt 3,8
    tỷ USD", nor "... in 2010?" by "734,000 square miles (1,900,000 km2) in 2005"."""
    named = dated_years(clause)
    return bool(asked) and bool(named) and not asked & named


_ORDINAL = re.compile(r"(?<!\w)(?:thu|hang)\s+(\d+)(?!\d|[/.,]\d)|(?<![\w.,])(\d+)(?:st|nd|rd|th)(?!\w)")


def rank_in(text: str, anywhere: bool = False) -> NumberFact | None:
    """For "lần thứ mấy?", "what rank?": the one place in an order the sentence writes, in digits
    ("lần thứ 15", "the 12th most populous") or in words ("xếp thứ nhì", "the fourth-largest"); no
    count answers it. "thứ" and its number are read as written: "thứ Hai" is a Monday. English
    words count before what ranks ("largest", "place") or after "ranked", unless `anywhere` ("the
    hospital's third with an Australian institution", against "Is it the first?")."""
    found = {m.group(1) or m.group(2) for m in _ORDINAL.finditer(fold(text.casefold()))}
    places = words()["places_in_words"]
    found |= {str(places["vi"][m.group(1)]) for m in _VI_PLACE.finditer(unicodedata.normalize("NFC", text))}
    english = _EN_WORD if anywhere else _EN_PLACE
    found |= {str(places["en"][m.group(1) or m.group(2)]) for m in english.finditer(text.casefold())}
    return NumberFact(value=found.pop(), unit="ordinal") if len(found) == 1 else None


_VI_PLACE = re.compile(rf"(?<!\w)(?:thứ|hạng)\s+({'|'.join(words()['places_in_words']['vi'])})(?!\w)")
_EN_PLACE = re.compile(rf"(?<!\w)({'|'.join(words()['places_in_words']['en'])})(?=[-\s](?:largest|biggest|highest|"
                       rf"place|most|in\s+the)\b|\s*$)|(?<=ranked\s)({'|'.join(words()['places_in_words']['en'])})\b")
_EN_WORD = re.compile(rf"(?<!\w)({'|'.join(words()['places_in_words']['en'])})(?!\w)()")


def gives_figure(question: str, text: str) -> bool:
    """Whether `text` writes a number the question does not write itself, not counting those of a
    day or a month ("17/11", "October 1954") unless the question counts days, months or years:
    "He attributed the economy's performance in 2022 to ..., tourists" and "Sáng 17/11, ... tiếp
    Đại sứ Hà Lan" hold none for "How many (Dutch) tourists ...?"."""
    asked = asked_of(question)
    if asked.rank:  # "xếp thứ mấy?" is answered by a place in an order, "thứ nhì" as well as "thứ 2"
        return rank_in(text) is not None
    spans = [(a, b) for a, b in date_spans(text) if not text[a:b].isdigit()]  # "2000 guests" may be no year
    if spans and asked.unit != "years" and asked.counted not in _TIME_COUNTED and len(fold(text.casefold())) == len(text):
        text = "".join(" " if any(a <= i < b for a, b in spans) else c for i, c in enumerate(text))
    return bool(numbers_written(text) - numbers_written(question) - asked.numbers)


def gives_money(text: str, language: str) -> bool:
    """Whether `text` writes a sum of money ("$1.2 billion", "2,35 tỷ USD"): what "How much did it cost?" asks."""
    return any(r.fact.unit in CURRENCIES for r in readings(text, language))


_TIME_COUNTED = frozenset(w for cues in words()["date_parts"].values() for w in cues) | {
    "decade", "century", "week", "hour", "minute", "thap nien", "the ky", "tuan", "gio", "phut"}


def _bare(r: Reading) -> bool:
    """A number word with no scale or unit ("two", "năm"): a count only of the noun after it."""
    return r.word and not (r.fact.scale or r.fact.unit)
