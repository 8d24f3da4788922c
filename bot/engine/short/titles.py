"""People named with a title, and the title as the article writes it beside the name, and the
same office in the other language.

"Chairman of the Hanoi People’s Committee Tran Sy Thanh", "Thủ tướng Vương quốc Campuchia
Samdech Techo Hun Sen", "Khuong Sreng, Governor of Phnom Penh, said": the title is the run of
titles, glossary phrases, capitalised words and connectors ("of the", "tại") next to the name,
within its clause, less the courtesies (Mr, Samdech). The other language gets the glossary's
words for the office and the first place named, or nothing: a title half translated reads as
another office.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from index.tokenize import fold, has_diacritics

from ..answer import TermFact
from ..dictionary import dictionary, en_key
from ..picker.evidence import without_asides
from ..picker.features import Candidate
from ..questions import ParsedQuestion, function_words, glossary
from .terms import (
    english_of,
    folded,
    group_of,
    groups,
    has_role,
    is_asked,
    is_place_group,
    is_title,
    is_titled_group,
    question_words,
    term,
)
from .words import words

LONGEST = 6  # words of the longest glossary phrase looked for in a title
TITLE_WINDOW = 6  # words before a name run that may hold a title
_NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "du", "del", "da", "di", "bin", "ter"})
_NAME_WORD = re.compile(r"^[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*$")
_OPENING = "(“\"'‘"
_CLOSING = ",;:.!?)”\"'’"


def strip_titles(run: list[str]) -> tuple[list[str], bool]:
    """A name run without the titles, bodies and places written before the name, and
    whether a title was among them."""
    titled = False
    while run:
        if folded(run[0]) in words()["openers"]:
            run = run[1:]
            continue
        for size in range(len(run), 0, -1):
            phrase = " ".join(run[:size])
            group = group_of(phrase)
            if size > 1 and group is not None and has_diacritics(phrase) and phrase.casefold() not in _written(group):
                group = None  # "Đỗ Thị" (a name) is not "đô thị" (urban), which it folds to
            if group is not None or (size <= 2 and is_title(phrase)):
                titled = titled or is_title(phrase) or any(is_title(w) for w in term(group).en.split())
                run = run[size:]
                break
        else:
            return run, titled
    return run, titled


@lru_cache(maxsize=4096)
def _written(group: int) -> frozenset[str]:
    return frozenset(p.casefold() for p in groups()[group])


def _preceded_by_title(text: str, name: str) -> bool:
    """Whether a title stands before the name, across places and prepositions only
    ("Đại sứ Việt Nam tại Campuchia Nguyễn Huy Tăng", not "the Governor said on Monday Tran ...")."""
    before = text[:max(text.find(name), 0)].split()[-TITLE_WINDOW:]
    for i in range(len(before) - 1, -1, -1):
        word = before[i]
        if word[-1:] in ",;:.)”":
            return False
        plain = folded(word)
        pair = f"{folded(before[i - 1])} {plain}" if i else ""
        if {plain, pair} & (words()["titles"] | words()["relations"]):
            return True
        if not (word[:1].isupper() or plain in words()["openers"] or group_of(word) is not None):
            return False
    return False


def runs(text: str) -> list[str]:
    """Runs of two or more capitalised words not broken by punctuation ("Hun Sen; Chủ tịch" is two)."""
    found, run = [], []
    tokens = text.split()
    for token, following in zip(tokens, [*tokens[1:], ""]):
        word = token.lstrip("(“\"'‘")
        core = word.rstrip(".,;:)”\"'’!?")
        if not following[:1].isupper():  # "Nguyen Hong Dien's visit": the name ends there (not "People's Committee")
            core = re.sub(r"['’]s$", "", core)
        if word != token and run:  # "(" or a quote mark opens something else
            found.append(run)
            run = []
        if core and _NAME_WORD.match(core) and core[0].isupper() and not core.isupper():
            run.append(core)
            if core == word:
                continue
        elif run and token in _NAME_PARTICLES and (following[:1].isupper() or following in _NAME_PARTICLES):
            run.append(token)  # "Maarten de Groot", "Ursula von der Leyen"
            continue
        found.append(run)
        run = []
    found.append(run)
    return [" ".join(r) for r in found if len(r) >= 2]


def people(text: str) -> list[str]:
    """Titled people named in `text`: "Governor Khuong Sreng", "Đại sứ ... Nguyễn Huy Tăng",
    "Kyoto Mayor Shunsuke Takeda", "Phan Thien Khiem, Chairman of the Hue People's Committee"."""
    return list(_people(text))


@lru_cache(maxsize=4096)
def _people(text: str) -> tuple[str, ...]:
    """`people`, kept by text: the picker's candidates are asked it again by the yes/no, who and when lines."""
    found: list[str] = []
    plain = without_asides(text)  # the title read across an aside, which still ends a run of capitals
    for run in runs(text):
        parts, stripped_title = strip_titles(run.split())
        before = plain[:plain.find(run)].split()[-TITLE_WINDOW:]
        if (len(parts) >= 3 and parts == run.split() and before and folded(before[-1]) in words()["place_words"]
                and has_role(" ".join(before))):
            parts = parts[1:]  # "Tổng Lãnh sự Việt Nam tại Osaka Đỗ Quang Vịnh": a place the glossary lacks
        # The name is what follows the last title word of the run ("Perth Lord Mayor Catherine ...").
        last = max((i for i, w in enumerate(parts) if is_title(w)), default=-1)
        stripped_title = stripped_title or last >= 0
        parts = _from_surname(parts[last + 1:])
        name = " ".join(parts)
        if len(parts) < 2 or group_of(name) is not None or name in found or _after_place_noun(plain, name):
            continue
        if stripped_title or _preceded_by_title(plain, run) or title_of(plain, name):
            found.append(name)
    return tuple(found)


def _after_place_noun(text: str, name: str) -> bool:
    """Whether the name follows a word for a province or a city and opens with no family name
    ("đoàn đại biểu tỉnh Quảng Trị"): a place the glossary lacks, not a person (as "Chủ tịch HĐND
    tỉnh Nguyễn Thị Bích Ngọc" is)."""
    before = [folded(w) for w in text[:max(text.find(name), 0)].split()[-2:]]
    return (bool(before) and (before[-1] in _PLACE_NOUNS or " ".join(before) in _PLACE_NOUNS)
            and unicodedata.normalize("NFC", name.split()[0]).casefold() not in words()["surnames"])


_PLACE_NOUNS = frozenset({"tinh", "huyen", "thanh pho", "province", "city", "district"})


def _from_surname(parts: list[str]) -> list[str]:
    """A long run after a title starts with a place the glossary lacks when a Vietnamese family
    name stands inside it, two to four words from its end: "Bí thư Tỉnh ủy Quảng Trị Lê Quang
    Thịnh" is Lê Quang Thịnh (the first such name: "Hà Nội Trần Sỹ Thanh" is Trần Sỹ Thanh)."""
    if len(parts) < 5:
        return parts
    surnames = words()["surnames"]
    at = next((i for i, w in enumerate(parts)
               if unicodedata.normalize("NFC", w).casefold() in surnames and 2 <= len(parts) - i <= 4), 0)
    return parts[at:]


def named_people(question: str) -> list[str]:
    """The people a question names: its runs of capitalised words less the question words and
    titles before them ("Did Hun Sen ...": Hun Sen), and less the start of a glossary phrase
    ("Bộ Chính trị" is the Politburo)."""
    found = []
    for run in runs(question):
        parts = run.split()
        while parts and folded(parts[0]) in function_words():
            parts = parts[1:]
        parts, _ = strip_titles(parts)
        name = " ".join(parts)
        following = question[question.find(name) + len(name):].split()[:1]
        if len(parts) >= 2 and group_of(name) is None and not any(group_of(f"{name} {w}") is not None for w in following):
            found.append(name)
    return found


def _clean(token: str) -> str:
    return token.lstrip(_OPENING).rstrip(_CLOSING)


def _connector(word: str) -> bool:
    return folded(word) in words()["title_connectors"]


def _courtesy(word: str) -> bool:
    return folded(word).strip(".") in words()["honorifics"]


def _accepts(phrase: list[str], first: bool = False) -> bool:
    """Whether the words may stand in a title: a connector, a title, a glossary title or body,
    a capitalised glossary phrase or word, or a capitalised Vietnamese word of several syllables
    ("Vương quốc"). `first`: the words open the sentence, where a capital says nothing."""
    text = " ".join(phrase)
    if not text:
        return False
    capitalised = text[:1].isupper() and not first
    if _connector(text) or len(phrase) == 1 and capitalised:  # "of", "tại", "thành phố"
        return True
    if len(phrase) == 1 and text[:1].isupper() and folded(text) in words()["deputies"]:
        return True  # "Phó Thủ tướng Chính phủ ..." opening the sentence: not the Prime Minister
    if is_title(text):
        return True
    group = group_of(text)
    if group is not None and (is_titled_group(group) or capitalised):
        return True
    return len(phrase) > 1 and capitalised and dictionary().is_word(tuple(phrase), True)


def _scan(tokens: list[str], backward: bool) -> list[str]:
    """The title words at the end (backward) or start of `tokens`, up to the clause's edge."""
    taken: list[str] = []
    left, right = (len(tokens), len(tokens)) if backward else (0, 0)  # tokens[left:right] is taken
    while (left > 0) if backward else (right < len(tokens)):
        near = tokens[left - 1] if backward else tokens[right]
        if (near[-1] in _CLOSING) if backward else (taken and near[0] in _OPENING):
            break  # punctuation between this word and the title: another clause
        if backward and _joins_portfolio(tokens, left - 1):
            left -= 1  # "Minister of Industry and Trade"
            continue
        for size in range(min(4, left if backward else len(tokens) - right), 0, -1):
            part = tokens[left - size:left] if backward else tokens[right:right + size]
            # A phrase may not run across punctuation either.
            if any(t[-1] in _CLOSING for t in part[:-1]) or any(t[0] in _OPENING for t in part[1:]):
                continue
            if _accepts([_clean(t) for t in part], first=backward and left == size):
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


def _joins_portfolio(tokens: list[str], at: int) -> bool:
    """Whether tokens[at] is the "and" of a portfolio after "of", between capitalised words:
    "Minister of Industry and Trade", "Ministry of Agriculture and Rural Development"."""
    return (0 < at < len(tokens) - 1 and folded(tokens[at]) in ("and", "va") and tokens[at + 1][:1].isupper()
            and tokens[at - 1][:1].isupper() and tokens[at - 1][-1] not in _CLOSING
            and any(folded(t) == "of" for t in tokens[max(0, at - 4):at - 1]))


def _trim(title: list[str]) -> list[str]:
    """Without the connectors at either end and the courtesies next to the name."""
    while title and (_connector(title[0]) or _courtesy(title[0])):
        title = title[1:]
    while title and (_connector(title[-1]) or _courtesy(title[-1])):
        title = title[:-1]
    return title


def _ends_with_name(title: list[str]) -> bool:
    """Whether the words end with a name of two words or more that the glossary does not know
    ("... UBND tỉnh Nghệ An Nguyễn Văn Đệ"; not "... of Phnom Penh", "... People's Committee")."""
    capitals = next((i for i, w in enumerate(reversed(title)) if not w[:1].isupper()), len(title))
    return (capitals >= 2 and group_of(" ".join(title[-2:])) is None and group_of(title[-1]) is None
            and not is_title(title[-1]))  # "... of the Chilean Senate" ends with an office's word


def _describes(clause: list[str], title: list[str]) -> bool:
    """Whether an apposition is a title of an organisation the words go on to describe: "Markus
    Albrecht, chief executive officer of German industrial robot maker Brenner Robotics, ...". The
    title stops at the first lowercase word after "of"; a list of people ("..., Phó Chủ tịch UBND
    tỉnh Nghệ An Nguyễn Văn Đệ, ...") is titles and names throughout."""
    rest = clause[len(title):]
    return (clause[:len(title)] == title and bool(rest) and rest[0][:1].islower() and not is_title(rest[0])
            and any(folded(w) in ("of", "cua") for w in title[1:]))


_APPOSITION_END = re.compile(r"[,;:!?)”]|\.(?=\s|$)")


def title_of(text: str, name: str) -> list[str] | None:
    """The words of the title written next to `name` in `text` (its first titled mention), or None."""
    text = without_asides(text)
    for match in re.finditer(re.escape(name), text):
        head = text[:match.start()].rstrip()
        before = _scan(head.split(), backward=True)
        if before and has_role(" ".join(before)):
            return before
        after = text[match.end():].lstrip()
        if head.endswith(",") and (not after or _APPOSITION_END.match(after) or folded(after.split()[0]) in ("and", "va")):
            # "Hai met the President of the Chilean Senate, Jorge Molina, and ...": the title, then
            # the name alone in apposition (not "Governor Khuong Sreng, Tran Sy Thanh": a list of names).
            title = _scan(head[:-1].split(), backward=True)
            if title and has_role(" ".join(title)) and not _ends_with_name(title):
                return title
        if after.startswith(","):
            # "Khuong Sreng, Governor of Phnom Penh, said": a title that is the whole clause after
            # the name; in "Phan Thị Thắng, Phó Chủ tịch UBND tỉnh Nghệ An Nguyễn Văn Đệ, ..."
            # the clause goes on to the next person of a list.
            title = _scan(after[1:].split(), backward=False)
            clause = _APPOSITION_END.split(after[1:], maxsplit=1)[0].split()
            whole = _trim([_clean(t) for t in clause])
            if title and has_role(" ".join(title)) and whole == title and not _ends_with_name(title):
                return title
            if title and has_role(" ".join(title)) and _describes(whole, title):
                return whole
    return None


def titles_of(name: str, texts) -> list[list[str]]:
    """Every title written next to `name` in `texts`: an article writes one out in full once
    ("Bí thư Thành ủy Hà Nội Đinh Tiến Dũng") and shortened after."""
    return [t for t in (title_of(text, name) for text in texts if name in text) if t]


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
    vietnamese = vietnamese[:1].upper() + vietnamese[1:]  # "Thị trưởng", as a title begins
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


@lru_cache(maxsize=1)
def _glossary_starts() -> dict[str, int]:
    """The first key word of every glossary phrase, and the most key words a phrase starting so has."""
    starts: dict[str, int] = {}
    for key in glossary():
        if key:
            starts[key[0]] = max(starts.get(key[0], 0), len(key))
    return starts


@lru_cache(maxsize=16384)
def atoms(text: str) -> frozenset[int]:
    """The glossary groups a phrase holds anywhere ("Chủ tịch Quốc hội": chairman, National
    Assembly, and the two together), to compare an asked title with a written one. Looked up
    only from the words a glossary phrase begins with, and kept: a question asks it of every
    candidate sentence (whether it names another place than the one asked)."""
    keys = [en_key(_clean(t)) for t in text.split()]
    starts = _glossary_starts()
    found = set()
    for i, first in enumerate(keys):
        if not first or first[0] not in starts:
            continue
        key: tuple[str, ...] = ()
        for more in keys[i:i + LONGEST]:
            key += more
            if len(key) > starts[first[0]]:
                break
            if ids := glossary().get(key):
                found.add(ids[0])
    return frozenset(found)


def office_groups(found: frozenset[int]) -> frozenset[int]:
    """Of the groups, those naming an office."""
    return frozenset(g for g in found if _is_office(g))


def _is_deputy(text: str) -> bool:
    """Whether a title is a deputy's: "Phó Chủ tịch", not "Chủ tịch UBND thành phố" (folded,
    "thành phố", city, ends in "pho" as "Phó" does)."""
    plain = question_words(text)
    city = words()["the_city"]["nouns"]
    return any(w in words()["deputies"] and " ".join(plain[max(i - 1, 0):i + 1]) not in city
               for i, w in enumerate(plain))


def office_shared(text: str, question: str, names: list[str]) -> dict[str, int]:
    """For each of `names`, how many glossary groups of the question its title in `text` shares,
    when one of them is an office held at the same rank (the deputy mayor is not the mayor, nor
    the reverse) and the title names no other place than the question's (Phnom Penh's governor
    is not "the governor of Hanoi"); else 0."""
    asked = atoms(question)
    offices = office_groups(asked)
    places = {g for g in asked if is_place_group(g)}
    shared = {}
    for name in names:
        title = " ".join(title_of(text, name) or [])
        held = atoms(title)
        elsewhere = places and any(is_place_group(g) for g in held) and not held & places
        held &= asked
        shared[name] = len(held) if held & offices and _is_deputy(title) == _is_deputy(question) and not elsewhere else 0
    return shared


def asked_people(question: ParsedQuestion, cands: list[Candidate]) -> frozenset[str]:
    """The people the question (with a follow-up's topic) names, as the candidates write them."""
    asked = {fold(w.casefold()) for w in question.words}
    return frozenset(p for c in cands for p in _people(c.sentence) if is_asked(p, asked))


def names_all(sentence: str, asked: frozenset[str]) -> bool:
    """Whether a sentence names all the people `asked` about."""
    written = fold(sentence.casefold())
    return all(fold(name.casefold()) in written for name in asked)


def names_everyone(sentence: str, asked: frozenset[str]) -> bool:
    """Whether a sentence names all the people `asked` about, or no titled person: one about
    someone else tells of another event, one that names no one may be about them ("He ...")."""
    return not _people(sentence) or names_all(sentence, asked)
