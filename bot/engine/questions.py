"""Understand a question: its language, what it asks, and the concepts it is about.

A concept is one thing the answer must speak of ("Hanoi", "talks", "Khuong Sreng"),
with every way the articles may write it: folded, stemmed, and its glossary
equivalents in the other language. The question words themselves ("who", "khi nào")
decide the question type and are not concepts.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.language import detect
from index.tokenize import analyze, fold, has_diacritics, phrases, words

from .cached import cached
from .dictionary import dictionary, en_key

DATA = Path(__file__).parent / "data"

# A question opening with one of these asks "what" unless a cue starts with it ("what year").
WHAT_WORDS = {"what", "which"}
# Question types whose cue words are content the answer must speak of.
CONTENT_CUES = {"agreed", "proposed", "committed", "who_met"}
# A word's first translations in the dictionary are its common senses; the rest add noise.
MAX_TRANSLATIONS = 6


@dataclass(frozen=True)
class Concept:
    label: str
    # Each alternative is a set of folded tokens (pairs included) that must all occur.
    alternatives: tuple[frozenset[str], ...]
    # The question's own words and their glossary equivalents (the rest are dictionary translations).
    own: tuple[frozenset[str], ...] = ()
    # Its forms of one Vietnamese syllable written with diacritics ("đông"), and the tokens of its
    # one-word forms written without ("dong" typed so, English words): a folded syllable of a
    # sentence is the first only as written, the second however accented.
    syllables: frozenset[str] = frozenset()
    loose: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ParsedQuestion:
    text: str
    language: str
    kind: str
    concepts: tuple[Concept, ...]
    pairs: tuple[str, ...]  # adjacent content words as folded pair tokens
    words: tuple[str, ...]  # the content words, normalized, for follow-ups


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text("utf-8"))


@lru_cache(maxsize=16384)
def _variants(phrase: str) -> frozenset[frozenset[str]]:
    """Token sets a phrase may take in an article of either language."""
    return frozenset(frozenset(analyze(phrase, lang).folded) for lang in ("en", "vi"))


@lru_cache(maxsize=4096)
def _titled(phrase: str) -> frozenset[frozenset[str]]:
    """A glossary phrase's token sets, read as English without the pairs a function word is part
    of: "Chairman of the Hanoi People's Committee" is the glossary's "Chairman of the People's
    Committee" with the city put in after "the". Only the glossary's phrases, written for the
    domain's titles and bodies: a dictionary translation's many senses would match too loosely.
    A Vietnamese phrase keeps them ("đường sắt đô thị" is not "đường sắt" and "thị" apart)."""
    if has_diacritics(phrase):
        return _variants(phrase)
    function = function_words()
    english = frozenset(t for t in analyze(phrase, "en").folded
                        if "_" not in t or not any(part in function for part in t.split("_")))
    return frozenset((english, frozenset(analyze(phrase, "vi").folded)))


@lru_cache(maxsize=1)
def question_types() -> dict:
    data = _load("question_types.json")
    data["accent_only"] = set(data.get("accent_only", []))
    return data


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    return frozenset(_load("function_words.json")["words"])


@lru_cache(maxsize=1)
def _written_function_words() -> frozenset[str]:
    return frozenset(_load("function_words.json")["written"])


def is_function_word(word: str) -> bool:
    """Whether a question's word carries no topic. One written with diacritics is Vietnamese and
    is one only as the list writes it: "Mỹ" (America) folds to the English "my", "Hồ" to "họ"."""
    if has_diacritics(word):
        return word.casefold() in _written_function_words()
    function = function_words()
    return fold(word) in function or analyze(word, "en").folded[0] in function


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Folded words that are never names: function words and the words of question cues."""
    cues = (w for kind in question_types()["cues"].values() for cue in kind for w in cue.split())
    return function_words() | frozenset(fold(w) for w in cues if w != "*")


def _glossary_keys() -> dict[tuple[str, ...], tuple[int, ...]]:
    """Keyed like the dictionary's English side (`en_key`: folded and stemmed), so that "courtesy
    calls" finds "courtesy call"; Vietnamese syllables pass the stemmer unchanged."""
    table: dict[tuple[str, ...], list[int]] = {}
    for n, group in enumerate(_groups()):
        for phrase in group:
            table.setdefault(en_key(phrase), []).append(n)
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def glossary() -> dict[tuple[str, ...], tuple[int, ...]]:
    """Folded word sequence -> the glossary groups it belongs to.

    Only the keys are made up front, and they are cached on disk (keyed by the
    glossary, `en_key`'s module and the tokenizer), so a one-shot `ask` does not re-tokenize the
    glossary; a group's token sets are analysed when a question first uses it.
    """
    return cached("glossary", [DATA / "glossary.json", Path(__file__).parent / "dictionary.py"], _glossary_keys)


@lru_cache(maxsize=1)
def _longest_key() -> int:
    return max((len(k) for k in glossary()), default=1)


@lru_cache(maxsize=1)
def _groups() -> list[list[str]]:
    return _load("glossary.json")["groups"]


@lru_cache(maxsize=4096)
def equivalents(key: tuple[str, ...]) -> frozenset[frozenset[str]]:
    """The token sets of every phrase equivalent to the glossary key `key`."""
    groups = _groups()
    return frozenset().union(*(_titled(p) for n in glossary()[key] for p in groups[n]))


@lru_cache(maxsize=4096)
def _compiled(cue: str) -> re.Pattern[str]:
    """Whole-word pattern of a cue; '*' stands for up to four words."""
    parts = cue.split()
    body = ""
    for n, part in enumerate(parts):
        if part == "*":
            body += r"(?:\S+\s+){0,4}?"
        else:
            body += re.escape(part) + (r"\s+" if n < len(parts) - 1 else "")
    return re.compile(rf"(?<!\w){body}(?!\w)")


@lru_cache(maxsize=4096)
def _literal_words(cue: str) -> tuple[str, ...]:
    return tuple(part for part in cue.split() if part != "*")


def _present(cue: str, text: str) -> re.Pattern[str] | None:
    """The cue's pattern, or None when one of its words is nowhere in `text` (so it cannot
    match): a question holds few of the ~190 cues, and compiling them all cost each `ask` 80 ms.
    Each question tests them all, so a cue's words are split once."""
    if all(part in text for part in _literal_words(cue)):
        return _compiled(cue)
    return None


def _cue_pattern(cue: str, folded_mode: bool, text: str) -> re.Pattern[str] | None:
    return _present(fold(cue) if folded_mode else cue, text)


def _matched_text(normalized: str) -> tuple[bool, str]:
    """Whether the question was typed without diacritics, and the text its cues are matched
    in: folded if so, for the folded cues to match."""
    folded_mode = not has_diacritics(normalized)
    return folded_mode, fold(normalized) if folded_mode else normalized


def _find_cue(text: str, folded_mode: bool, cues: list[str], accent_only: set[str]):
    """The earliest matching cue (the longest of those starting there) and the spans of
    its literal words in `text` (normalized, or folded in folded mode); what a '*' stands
    for is content and stays."""
    best = None
    for cue in cues:
        if folded_mode and cue in accent_only:
            continue
        pattern = _cue_pattern(cue, folded_mode, text)
        match = pattern.search(text) if pattern else None
        if match and (best is None or (match.start(), -len(match.group())) < (best[1].start(), -len(best[1].group()))):
            best = cue, match
    if best is None:
        return None, None
    cue, match = best
    literal = {fold(w) if folded_mode else w for w in cue.split() if w != "*"}
    spans = [(m.start() + match.start(), m.end() + match.start())
             for m in re.finditer(r"\S+", match.group()) if m.group() in literal]
    return cue, spans


def classify(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The question type and the character spans of its question words."""
    data = question_types()
    normalized = " ".join(words(text))
    folded_mode, subject = _matched_text(normalized)
    for not_cue in data["not_cues"]:
        if pattern := _cue_pattern(not_cue, folded_mode, subject):
            subject = pattern.sub(lambda m: "#" * len(m.group()), subject)
    # The question word decides, not a subordinate clause: "Who was king when ...?" asks
    # who, "When prices rise, what happens?" and "What is it called when ...?" ask what.
    found = []
    for rank, kind in enumerate(data["order"]):
        cue, spans = _find_cue(subject, folded_mode, data["cues"][kind], data["accent_only"])
        if cue is not None:
            found.append((spans[0][0] if spans else len(subject), rank, kind, spans))
    runs = phrases(text)
    main_clause = len(" ".join(w for run in runs[:-1] for w in run)) + 1 if len(runs) > 1 else 0
    if any(start >= main_clause for start, *_ in found):
        found = [f for f in found if f[0] >= main_clause]
    opening = fold(runs[-1][0]) if len(runs) > 1 and main_clause else fold(normalized.split(" ", 1)[0])
    if opening in WHAT_WORDS and found and min(found)[0] > main_clause and min(found)[2] not in CONTENT_CUES:
        return "what", []
    if opening in WHAT_WORDS and found and min(found)[0] < main_clause:
        return "what", []
    if not found:
        return "what", []
    _, _, kind, spans = min(found)
    if kind == "who" and _find_cue(subject, folded_mode, data["meeting"], set())[0]:
        kind = "who_met"
    if kind in CONTENT_CUES:  # the verbs of the cue are the topic ("hội đàm"), the question words not
        spans = [span for *_, other, other_spans in found if other == "who" for span in other_spans]
    return kind, spans


@lru_cache(maxsize=1024)
def _normalized(cue: str) -> str:
    """A yes/no cue's words, normalized once: each new question tests some fifty."""
    return " ".join(words(cue))


@lru_cache(maxsize=1024)
def is_yes_no(text: str) -> bool:
    """Whether the question asks if something is so ("Did Hun Sen meet ...?", "... có gặp ...
    không?"), whatever its type says it is about; a greeting before it ("Hi, did ...") aside.
    Kept: the picker and the short line both ask it of the same question."""
    cues = question_types()["yes_no"]
    folded_mode, subject = _matched_text(" ".join(words(text)))
    if not subject:
        return False

    def written(cue: str) -> str:
        cue = _normalized(cue)
        return fold(cue) if folded_mode else cue

    def holds(phrases: list[str]) -> bool:
        return any((pattern := _present(written(p), subject)) and pattern.search(subject) for p in phrases
                   if not (folded_mode and p in question_types()["accent_only"]))

    if holds(cues["choice"]) or holds(cues["asking"]):
        return False
    runs = [" ".join(run) for run in phrases(text) if run]
    starts = {fold(r) if folded_mode else r for r in (runs[0], runs[-1])} if runs else {subject}
    opens = any(f"{start} ".startswith(f"{written(c)} ") for c in cues["opening"] for start in starts)
    closes = any(f" {subject}".endswith(f" {written(c)}") for c in cues["closing"]) and holds(cues["needs"])
    return opens or closes


def _frame_spans(normalized: str, kind: str) -> list[tuple[int, int]]:
    """Where a where-, when- or what-question words its event ("did the talks take place",
    "what happened in 1979"): the verb says nothing of which event, and an article seldom
    uses it ("the talks in Phnom Penh", "liberated in 1979")."""
    if kind not in ("where", "when", "what"):
        return []
    folded_mode, subject = _matched_text(normalized)
    return [m.span() for phrase in question_types()["frame"]
            if (pattern := _cue_pattern(phrase, folded_mode, subject)) for m in pattern.finditer(subject)]


def _strip_spans(words_with_pos: list[tuple[str, int]], spans) -> list[str]:
    return [w for w, pos in words_with_pos if not any(a <= pos < b for a, b in spans)]


@lru_cache(maxsize=1024)
def parse(text: str, language: str | None = None, names: frozenset[str] = frozenset()) -> ParsedQuestion:
    """Kept for the same question: a yes/no question is parsed again for every candidate sentence.

    `names`: folded words the articles write in a name of several words (`spelling.name_words`)."""
    language = language or detect(text)
    kind, spans = classify(text)
    normalized = " ".join(words(text))
    positions, pos = [], 0
    for word in normalized.split(" "):
        positions.append((word, pos))
        pos += len(word) + 1
    kept = _strip_spans(positions, spans)
    unframed = _strip_spans(positions, spans + _frame_spans(normalized, kind))
    if not all(map(is_function_word, unframed)):
        kept = unframed

    concepts: list[Concept] = []
    content: list[str] = []
    folded_words = [fold(w) for w in kept]
    for start, size, found in _units(kept, folded_words, language, names):
        if found is not None:
            phrase = " ".join(kept[start:start + size])
            equivalent, translated, sources = found
            own = _variants(phrase) | equivalent
            concepts.append(Concept(phrase, tuple(own | translated), tuple(own), *_one_word_forms((phrase, *sources))))
            content.extend(kept[start:start + size])
    pairs = tuple({
        token
        for a, b in zip(kept, kept[1:])
        if not is_function_word(a) and not is_function_word(b)
        for variant in _variants(f"{a} {b}") for token in variant if "_" in token
    })
    return ParsedQuestion(text, language, kind, tuple(_merge(concepts)), pairs, tuple(content))


def _one_word_forms(phrases) -> tuple[frozenset[str], frozenset[str]]:
    """`Concept.syllables` and `Concept.loose` of a concept written as these phrases."""
    syllables, loose = set(), set()
    for phrase in phrases:
        if has_diacritics(phrase):
            written = words(phrase)
            if len(written) == 1:
                syllables.add(written[0])
        else:
            loose.update(t for variant in _variants(phrase) if len(variant) == 1 for t in variant)
    return frozenset(syllables), frozenset(loose)


def _units(kept: list[str], folded_words: list[str], language: str, names: frozenset[str] = frozenset()
           ) -> list[tuple[int, int, tuple[frozenset[frozenset[str]], frozenset[frozenset[str]], tuple[str, ...]] | None]]:
    """The question's words grouped into glossary and dictionary phrases, longest first, each
    with the token sets of its glossary equivalents and of its dictionary translations, and those
    phrases as written; a word outside both stands for itself, a function word for nothing (None).

    The glossary is written for the domain, so its equivalents count as the question's own
    words; the general dictionary lists every sense of a word, so its translations are
    weaker evidence, kept apart.

    Matching whole phrases makes a Vietnamese word of several syllables ("số nguyên tố")
    one concept that must occur as a phrase, not three syllables that may occur anywhere.
    (Reading Vietnamese from the end instead, backward maximum matching, measured a point
    worse on XQuAD.)

    Typed without diacritics, the syllables of a name collide with dictionary words ("dinh
    tien dung" reads as "tiện dụng", convenient): there, a word of one of the articles' `names`
    is itself, with the glossary's equivalents ("ha noi" is Hanoi) but no dictionary word.
    """
    table = glossary()
    lexicon = dictionary()
    longest = max(_longest_key(), lexicon.longest(language))
    accented = any(has_diacritics(w) for w in kept)
    named = set() if accented or language != "vi" else {i for i, w in enumerate(folded_words) if w in names}
    units = []
    i = 0
    while i < len(kept):
        for size in range(min(longest, len(kept) - i), 0, -1):
            folded = tuple(folded_words[i:i + size])
            if size == 1 and is_function_word(kept[i]):
                units.append((i, 1, None))
                break
            key = en_key(" ".join(folded))
            if named.intersection(range(i, i + size)) and key not in table:
                if size == 1:
                    units.append((i, 1, (frozenset(), frozenset(), ())))
                    break
                continue
            translations = lexicon.translate(tuple(kept[i:i + size]), language, accented)[:MAX_TRANSLATIONS]
            vietnamese_word = language == "vi" and lexicon.is_word(tuple(kept[i:i + size]), accented)
            if key in table or translations or size == 1 or vietnamese_word:
                found = equivalents(key) if key in table else frozenset()
                written = tuple(p for n in table.get(key, ()) for p in _groups()[n]) + tuple(translations)
                units.append((i, size, (found, frozenset().union(*(_variants(t) for t in translations)), written)))
                break
        i += size
    return units


def _merge(concepts: list[Concept]) -> list[Concept]:
    """Concepts sharing an alternative ("anniversary" and "celebrating") count once."""
    merged: list[Concept] = []
    for concept in concepts:
        for j, other in enumerate(merged):
            if set(concept.alternatives) & set(other.alternatives):
                merged[j] = Concept(f"{other.label} {concept.label}",
                                    tuple(set(other.alternatives) | set(concept.alternatives)),
                                    tuple(set(other.own) | set(concept.own)),
                                    other.syllables | concept.syllables, other.loose | concept.loose)
                break
        else:
            merged.append(concept)
    return merged
