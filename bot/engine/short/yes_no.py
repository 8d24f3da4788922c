"""Yes or no, when a quoted sentence says so.

"Yes" when the sentence holds everything the question names (its people, places and what it
says happened, in any of their forms) and agrees with each number, date, place or office the
question claims; "No" when it holds the rest and gives another number, date or holder of the
office; nothing when it does neither, or says "not". A sentence naming someone else at a
meeting, or another place someone went to, does not say that the one asked about was not
there: no "No" for that. A person the sentence names brings the title the article gives them
("Bí thư Thành ủy Đinh Tiến Dũng" is of Hà Nội when the article once wrote "Bí thư Thành ủy Hà
Nội Đinh Tiến Dũng"), and a delegation is met through its people: "the Hanoi delegation" is
said by a sentence naming someone of Hanoi.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from index.sentences import tokens_of
from index.tokenize import fold

from ..answer import DateFact, NameFact, NumberFact, Quote, TermFact, YesNoFact
from ..picker.features import match
from ..questions import parse, question_types
from .dates import date_for, date_spans, dates_in
from .numbers import number_for, rank_in, readings
from .places import home_of, places_in
from .terms import content_words, folded, group_of, is_place_group, meets
from .titles import atoms, named_people, office_groups, office_shared, people, title_of, titles_of
from .words import words

MARGIN = 0.1  # a plain or "about" number stands for this share around it
SCALES = {None: 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@dataclass(frozen=True)
class Claim:
    """What the sentence says of one thing the question claims: True (the same), False (another
    one, in `because`) or None (it does not say); `words` are the question's words for it."""
    result: bool | None
    because: DateFact | NumberFact | NameFact | TermFact | None = None
    words: frozenset[str] = field(default_factory=frozenset)


def _interval(fact: NumberFact, claim: bool) -> tuple[float, float]:
    """The values a number stands for: "nearly 9 million" is 8.1 to 9 million, "over 10" above
    10; a claim's plain number ("Is it 9 million?") is as loose as "about"."""
    value = float(fact.value) * SCALES.get(fact.scale, 1.0)
    low, high = value * (1 - MARGIN), value * (1 + MARGIN)
    return {"over": (math.nextafter(value, math.inf), math.inf), "under": (0.0, math.nextafter(value, 0.0)),
            "up to": (0.0, value), "nearly": (low, value), "about": (low, high)}.get(
        fact.qualifier, (low, high) if claim else (value, value))


def _number_claim(question: str, language: str, quote: Quote) -> Claim | None:
    claims = [r for r in readings(question, language) if not (r.word and not (r.fact.scale or r.fact.unit))]
    if len(claims) != 1:
        return None
    claim = claims[0].fact
    # The words that state the number are compared with the sentence's, not looked for in it:
    # "9 triệu người" (people) is said by "nine million" of a population.
    units = [k for k, unit in words()["units"].items() if claim.unit and unit == claim.unit]
    said = {claim.value, *(w for k in [*words()["scales"], *words()["qualifiers"], *units] for w in fold(k).split())}
    spoken = frozenset(w for w in re.findall(r"\w+", fold(question.casefold())) if w in said)
    found = number_for(question, quote.text, quote.language, own=True)
    if found is None or found.unit and claim.unit and found.unit != claim.unit:
        return Claim(None, words=spoken)
    (low, high), (claim_low, claim_high) = _interval(found, False), _interval(claim, True)
    if claim_low <= low and high <= claim_high:
        return Claim(True, found, spoken)
    if high < claim_low or low > claim_high:
        return Claim(False, found, spoken)
    return Claim(None, words=spoken)


def _date_claim(question: str, quote: Quote, asked: frozenset[str]) -> Claim | None:
    claimed = dates_in(question)
    if len(claimed) != 1:
        return None
    claim = claimed[0][0]
    plain = fold(question.casefold())
    spoken = frozenset(w for start, end in date_spans(question) for w in re.findall(r"\w+", plain[start:end]))
    found = date_for(quote.text, asked)
    if found is None:
        return Claim(None, words=spoken)
    agree = []
    for name in ("year", "month", "quarter", "half"):
        if getattr(claim, name) is not None and getattr(found, name) is not None:
            agree.append(getattr(claim, name) == getattr(found, name))
    if claim.day is not None and found.day is not None:
        agree.append(found.day <= claim.day <= (found.day_to or found.day))
    return Claim(all(agree), found, spoken) if agree else Claim(None, words=spoken)


def _place_claim(question: str, quote: Quote, home: TermFact | None) -> Claim | None:
    """The place the question says it happened at ("in Hanoi") against the sentence's."""
    claimed = places_in(question, set())
    if not claimed:
        return None
    spoken = frozenset(w for place in claimed for w in folded(f"{place.vi} {place.en}").split())
    found = places_in(quote.text, set(), home)
    # Another place is no "no": the sentence may tell of someone else going there.
    return Claim(True, claimed[0], spoken) if all(place in found for place in claimed) else Claim(None, words=spoken)


def _rank_claim(question: str, quote: Quote) -> Claim | None:
    """A superlative the question claims ("... the largest investor ...?", "... lớn nhất ... không?")
    against the place the sentence ranks it at ("the second-largest", "lớn thứ hai"): a "No"."""
    plain = " ".join(re.findall(r"\w+", folded(question)))
    claimed = [(w, kind) for w, kind in words()["superlatives"].items() if re.search(rf"(?<!\w){w}(?!\w)", plain)]
    if len(claimed) != 1:
        return None
    word, kind = claimed[0]
    ranked, order = words()["ranked"][kind], words()["places_in_order"]
    places = {fold(name): int(n) for n, names in order.items() for name in names}
    said = " ".join(re.findall(r"\w+", folded(quote.text)))
    adjectives, ordinals = "|".join(ranked["written"]), "|".join(places)
    match = (re.search(rf"(?<!\w)({ordinals}) (?:{adjectives})(?!\w)", said)
             or re.search(rf"(?<!\w)(?:{adjectives}) thu ({ordinals}|[2-5])(?!\w)", said))
    if match is None:
        return None
    rank = int(match.group(1)) if match.group(1).isdigit() else places[match.group(1)]
    en, vi = order[str(rank)]
    return Claim(False, TermFact(vi=f"{ranked['vi']} thứ {vi}", en=f"{en} {ranked['en']}"), frozenset(word.split()))


def _first_claim(question: str, quote: Quote) -> Claim | None:
    """"Is it the first ...?" / "... đầu tiên không?" against the place in an order the sentence
    gives ("the third with an Australian institution", "tuyến metro thứ hai"): a "No"."""
    plain = " ".join(re.findall(r"\w+", folded(question)))
    claimed = next((w for w in words()["firsts"] if re.search(rf"(?<!\w){w}(?!\w)", plain)), None)
    place = rank_in(quote.text, anywhere=True) if claimed is not None else None
    if place is None or int(place.value) < 2:
        return None
    # In words where the words table has the place ("third", "thứ hai"), else as the templates write an ordinal.
    said = words()["places_in_order"].get(place.value)
    because = place if said is None else TermFact(vi=f"thứ {said[1]}", en=said[0])
    return Claim(False, because, frozenset(claimed.split()))


def _office_claim(question: str, quote: Quote) -> Claim | None:
    """The office the question gives a person ("Is X the governor?") against who holds it in the sentence."""
    asked = {folded(n) for n in named_people(question)}
    if not asked or not office_groups(atoms(question)):
        return None
    shared = office_shared(quote.text, question, people(quote.text))
    holders = [n for n, count in shared.items() if count and count == max(shared.values())]
    if not holders:
        return Claim(None)
    if any(folded(n) in asked for n in holders):
        places = {g for g in atoms(question) if is_place_group(g)}
        titles = [atoms(" ".join(title_of(quote.text, n) or [])) for n in holders if folded(n) in asked]
        # "Đô trưởng Khuong Sreng" does not say of which city: no yes to "... Đô trưởng Hà Nội?"
        return Claim(True) if all(places <= title for title in titles) else Claim(None)
    return Claim(False, NameFact(names=tuple(holders)))


_HOME = re.compile(r"(?<!\w)(?:tỉnh|thành phố|thủ đô|the (?:city|province|capital))(?!\w)(?:\s+(\w))?")


def _says_home(text: str) -> bool:
    """Whether the sentence names its article's own province or city unnamed: "của tỉnh", "the city"."""
    return any(not (m.group(1) or "a")[0].isupper() for m in _HOME.finditer(unicodedata.normalize("NFC", text)))


def _says(text: str, listed: str) -> bool:
    """Whether `text` holds a word of the list `listed` ("negations", "hedges"), as written."""
    written = " ".join(re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold()))
    return bool(_listed(listed).search(written))


@lru_cache(maxsize=None)
def _listed(listed: str) -> re.Pattern[str]:
    """Any word of the list as a whole word: one pattern, where a pattern per word was compiled, and searched,
    for each candidate sentence of a yes/no question."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words()[listed]))})(?!\w)")


@lru_cache(maxsize=1)
def _hedged() -> re.Pattern[str]:
    """A hedge and the rest of its clause."""
    hedges = "|".join(re.escape(w) for w in sorted(words()["hedges"], key=len, reverse=True))
    return re.compile(rf"(?i)(?<!\w)(?:{hedges})(?!\w)[^,;:.]*")


def _without_hedges(text: str) -> str:
    """The sentence less what it says is planned or expected, from the hedge to the end of its
    clause: "... visiting Hanoi and expected the trip would boost relations." keeps the visit.
    Built once: a yes/no question asks it of every candidate sentence."""
    return _hedged().sub(" ", unicodedata.normalize("NFC", text))


def _says_not(text: str) -> bool:
    return bool(re.search(r"n[’']t\b", text.casefold())) or _says(text, "negations")


def _titles(text: str, article: list[str], asked: frozenset[str]) -> tuple[str, str]:
    """The titles the article gives each person the sentence names, at their fullest: of all of
    them, and of those the question does not name (the ones a delegation asked about is of)."""
    every, others = [], []
    for name in people(text):
        titles = titles_of(name, (text, *article))
        if titles:
            every.append(" ".join(max(titles, key=len)))
            if folded(name) not in asked:
                others.append(every[-1])
    return " ".join(every), " ".join(others)


def _collective(concept) -> bool:
    """A word for a group sent somewhere ("delegation", "đoàn"), folded."""
    return folded(concept.label) in words()["collectives"]


# "X có hội đàm với Y không?": the "có" that opens what is asked would be read with the
# verb after it ("có hội" folds to "cơ hội", opportunity), a concept no sentence holds.
_VI_FRAME = re.compile(r"(?i)(?<!\w)(?:có|co)\s+(?=\w.*(?<!\w)(?:không|khong)\W*$)")


@lru_cache(maxsize=1)
def _asking() -> re.Pattern[str]:
    """The Vietnamese words that only ask whether ("có phải", "phải không", "đúng không"), as
    written or typed without diacritics: "phải" (right) is no concept a sentence must hold."""
    cues = question_types()["yes_no"]
    frames = {form for cue in (*cues["opening"], *cues["closing"]) if " " in cue and fold(cue) != cue
              for form in (cue, fold(cue))}
    return re.compile(rf"(?i)(?<!\w)(?:{'|'.join(map(re.escape, sorted(frames, key=len, reverse=True)))})(?!\w)")


def _asked(question: str) -> str:
    """The question without the words that frame it as a yes/no question."""
    return _VI_FRAME.sub("", _asking().sub(" ", unicodedata.normalize("NFC", question)))


def verdict(question: str, quote: Quote, home: TermFact | None = None, article: list[str] = ()) -> YesNoFact | None:
    """Yes, no, or None for a yes/no `question` (its names as mended) and the quoted sentence;
    `home` is the city "the city" stands for in its article, `article` its paragraphs."""
    parsed = parse(_asked(question))
    number = _number_claim(question, parsed.language, quote)
    date = _date_claim(question, quote, content_words(question))
    claims = [c for c in (number, date, _place_claim(question, quote, home), _office_claim(question, quote),
                          _rank_claim(question, quote), _first_claim(question, quote)) if c]
    # A number or a date is compared, not matched; the words of a claim the sentence
    # contradicts need not be in it.
    exempt = set().union(*(c.words for c in claims if c in (number, date) or c.result is False))
    every, others = _titles(quote.text, list(article), frozenset(folded(n) for n in named_people(question)))
    titles, others_titles = tokens_of(every, quote.language), tokens_of(others, quote.language)
    tokens = tokens_of(quote.text, quote.language) | titles
    places = [c for c in parsed.concepts if (g := group_of(c.label)) is not None and is_place_group(g)]

    home_group = group_of(home.vi) if home is not None and _says_home(quote.text) else None

    def covered(concept, tokens: frozenset[str]) -> bool:
        label = folded(concept.label).split()
        return (match(concept, tokens) > 0 or set(label) <= exempt
                or home_group is not None and group_of(concept.label) == home_group
                or " ".join(label) in words()["meeting_verbs"] and meets(quote.text)
                or _collective(concept) and bool(places) and all(match(p, others_titles) > 0 for p in places))

    if _says_not(quote.text) or not all(covered(c, tokens) for c in parsed.concepts):
        return None
    contradicted = [c for c in claims if c.result is False]
    if contradicted:
        return YesNoFact(yes=False, because=contradicted[0].because)
    # "They will sign", "dự kiến ký": planned, not done, unless the question asks about a plan.
    done = quote.text if _says(question, "hedges") else _without_hedges(quote.text)
    said = tokens_of(done, quote.language) | titles
    if all(c.result is True for c in claims) and all(covered(c, said) for c in parsed.concepts):
        return YesNoFact(yes=True, because=next((c.because for c in claims if c in (number, date)), None))
    return None


def answers(question: str, text: str, language: str, title: str) -> bool:
    """Whether a sentence (of an article with this headline) says yes or no to the question."""
    home = home_of(title) if _claims_a_place(question) else None  # read only by a place the question claims
    return verdict(question, Quote(text, 1, language), home) is not None


@lru_cache(maxsize=256)
def _claims_a_place(question: str) -> bool:
    """Whether the question says where ("in Hanoi"): else its candidates' headlines need not be read for their city."""
    return bool(places_in(question, set()))
