"""Turn text into search tokens that treat Vietnamese and English alike.

Two token streams per text:

* exact  - syllables and adjacent-syllable pairs as written (after NFC, tone-mark
           placement and case folding), so that accented queries prefer exact matches;
* folded - the same with diacritics removed (đ -> d) and English words stemmed, so
           that "ha noi" finds "Hà Nội" and "celebrate" finds "celebrating".

Pairs ("hà_nội") recover much of what Vietnamese word segmentation gives without a
model; they never cross punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import snowballstemmer

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_QUALITY = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: part of the vowel
_VOWELS = set("aeiouy")

# A token is a number (7.79, 24/6/1967, 4-6, 1,000) or a word; apostrophes join
# English contractions so that possessives can be dropped.
_TOKEN = re.compile(r"\d+(?:[.,/:-]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
# Punctuation that ends a phrase: pairs are not formed across it. A period, comma or
# colon between two digits (7.79, 1,000, 10:30) does not; the pattern starts with the
# character, not the look-behind, so that the regex engine can skip to candidates.
_BREAK = re.compile(r"[.,:](?:(?<!\d[.,:])|(?!\d))|[;!?()\[\]{}\"“”«»|…–—]|\s[-–]\s")
_POSSESSIVE = re.compile(r"['’]s$")
_APOSTROPHE = re.compile(r"['’]")
# What _clean_token changes: without these characters a chunk's tokens are its words.
_NEEDS_CLEANING = re.compile(r"['’%]")
_LETTERS = re.compile(r"([^\W\d_]+)")  # captured: split keeps the words, at the odd places
_RANGE = re.compile(r"[-/]")

_stemmer = snowballstemmer.stemmer("english")


def _split_tone(syllable: str) -> tuple[str, str]:
    """Remove the tone mark from a decomposed syllable; return (syllable, tone)."""
    tone = ""
    kept = []
    for ch in syllable:
        if ch in _TONES:
            tone = ch
        else:
            kept.append(ch)
    return "".join(kept), tone


def _vowel_slots(chars: list[str]) -> list[int]:
    """Indexes of base characters that are vowels, minus the glide of 'gi'/'qu' onsets."""
    bases = [i for i, c in enumerate(chars) if not unicodedata.combining(c)]
    vowels = [i for i in bases if chars[i].lower() in _VOWELS]
    if len(vowels) > 1 and len(bases) > 1:
        first, second = chars[bases[0]].lower(), chars[bases[1]].lower()
        if (first, second) in {("q", "u"), ("g", "i")} and vowels[0] == bases[1]:
            vowels = vowels[1:]
    return vowels


@lru_cache(maxsize=65536)
def fix_tone(word: str) -> str:
    """Put a Vietnamese tone mark where the traditional spelling puts it (hoà -> hòa)."""
    decomposed = unicodedata.normalize("NFD", word)
    bare, tone = _split_tone(decomposed)
    if not tone:
        return word
    chars = list(bare)
    vowels = _vowel_slots(chars)
    if not vowels:
        return word

    def marked(i: int) -> bool:
        return i + 1 < len(chars) and chars[i + 1] in _QUALITY

    with_quality = [i for i in vowels if marked(i)]
    if with_quality:
        target = with_quality[-1]
    elif len(vowels) == 1:
        target = vowels[0]
    else:
        last = vowels[-1]
        tail = [c for c in chars[last + 1:] if not unicodedata.combining(c)]
        if tail:  # closed syllable: the last vowel carries the tone (hoàng)
            target = last
        elif len(vowels) == 2:  # open syllable: the first one (hòa, thủy, mía)
            target = vowels[0]
        else:
            target = vowels[1]  # ngoài, khuỷu
    insert_at = target + 1
    while insert_at < len(chars) and chars[insert_at] in _QUALITY:
        insert_at += 1
    chars.insert(insert_at, tone)
    return unicodedata.normalize("NFC", "".join(chars))


# Characters that show nothing: zero-width space, joiners and non-joiner, word joiner and the
# other invisible operators, byte order mark, soft hyphen, and the bidirectional marks,
# embeddings, overrides and isolates. Pasted inside a word they would split it in two
# ("Khu\u200bong"), so they are removed from questions and articles alike.
INVISIBLE = dict.fromkeys([0x00AD, 0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
                           *range(0x2066, 0x206A), 0xFEFF])


_ANY_INVISIBLE = re.compile("[" + "".join(map(chr, INVISIBLE)) + "]")


def visible(text: str) -> str:
    """`text` without the characters that show nothing; looked for first, `translate` being slow on long text."""
    return text if text.isascii() or not _ANY_INVISIBLE.search(text) else text.translate(INVISIBLE)


# What a terminal obeys rather than shows: escape sequences (colours, cursor moves, window
# titles) whole, then the other control characters but tab and line breaks (NUL, BEL, DEL, C1).
_CONTROLS = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?"
                       r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` without control characters and sequences or invisible characters: what an article
    may show in a terminal or a chat, where they would recolour, ring, hide or reverse the text."""
    return _CONTROLS.sub("", visible(text))


def normalize(text: str) -> str:
    """Invisible characters removed, NFC, traditional tone-mark placement and case folding."""
    if text.isascii():  # nothing to compose and no tone marks to move
        return text.casefold()
    pieces = _LETTERS.split(unicodedata.normalize("NFC", visible(text)))
    pieces[1::2] = map(fix_tone, pieces[1::2])  # the cache's hits cost no Python call, as a `sub` callback's did
    return "".join(pieces).casefold()


class _FoldTable(dict):
    """str.translate table for decomposed text: đ/Đ become d/D, combining marks are dropped.

    Filled one code point at a time on first sight: listing the combining marks of all
    Unicode at import would add some 40 ms to every start.
    """

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


# NFD never produces or decomposes đ (a base letter), so mapping it after decomposing
# is the same as replacing it before.
_FOLD_TABLE = _FoldTable({ord("đ"): "d", ord("Đ"): "D"})


# The marks Vietnamese letters decompose into (grave, acute, tilde, hook, dot below, circumflex,
# breve, horn): removed by `str.replace`, many times faster than `str.translate` on a long text.
_VIETNAMESE_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b")
# Where any other combining mark is: every character from U+0300 on, written as the complement
# of what comes before, which compiles in a fraction of a millisecond where the range took 13 ms.
_BEYOND_LATIN = re.compile("[^\x00-\u02ff]")
_SHORT = 16  # below this many characters, the table is as fast


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Strip diacritics (đ -> d), keeping letters and everything else."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    if len(decomposed) < _SHORT:
        return decomposed.translate(_FOLD_TABLE)
    for mark in _VIETNAMESE_MARKS:
        decomposed = decomposed.replace(mark, "")
    return _BEYOND_LATIN.sub(_unmarked, decomposed.replace("đ", "d").replace("Đ", "D"))


def _unmarked(match: re.Match) -> str:
    """A character past Latin as `fold` keeps it: nothing for a combining mark, else itself."""
    char = match.group()
    return "" if unicodedata.combining(char) else char


def has_diacritics(text: str) -> bool:
    return fold(text) != text


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """English stem of a folded word; numbers and Vietnamese syllables pass through."""
    if not word.isalpha() or len(word) < 4:
        return word
    return _stemmer.stemWord(word)


def _clean_token(token: str) -> list[str]:
    token = _POSSESSIVE.sub("", token)
    if token[0].isdigit():  # "7.79%" is read "7.79 percent", so that "what percentage" and "phần trăm" find it
        return [token[:-1], "percent"] if token.endswith("%") else [token]
    return [t for t in _APOSTROPHE.split(token) if t]


def _number_parts(number: str) -> list[str]:
    """Parts of a range or date ("4-6" -> 4, 6) so that "September 4" finds "September 4-6"."""
    parts = _RANGE.split(number)
    return parts if len(parts) > 1 else []


def phrases(text: str) -> list[list[str]]:
    """Normalized words of `text`, grouped into runs not broken by punctuation."""
    runs = []
    for chunk in _BREAK.split(normalize(text)):
        words = _TOKEN.findall(chunk)
        if _NEEDS_CLEANING.search(chunk):
            words = [w for tok in words for w in _clean_token(tok)]
        if words:
            runs.append(words)
    return runs


def words(text: str) -> list[str]:
    return [w for run in phrases(text) for w in run]


def _with_pairs(run: list[str]) -> list[str]:
    """A run's words, the parts of its ranges and dates, then its adjacent pairs."""
    tokens = run + [part for w in run if w[0].isdigit() for part in _number_parts(w)]
    tokens.extend(map("_".join, pairwise(run)))
    return tokens


@dataclass(frozen=True)
class Tokens:
    exact: list[str]
    folded: list[str]


@lru_cache(maxsize=131072)
def _word_forms(word: str, english: bool) -> tuple[bool, str]:
    """Whether a word has diacritics, and its folded (and for English stemmed) form.

    Cached per word, so that a corpus folds each distinct word once rather than every
    occurrence and every pair it is part of.
    """
    folded = fold(word)
    return folded != word, stem(folded) if english else folded


def analyze(text: str, language: str) -> Tokens:
    """Exact and folded token streams of `text` written in `language` ("vi"/"en")."""
    return analyze_phrases(phrases(text), language)


def analyze_phrases(runs: list[list[str]], language: str) -> Tokens:
    """`analyze` of the text whose `phrases` these are: an indexer that also keeps the words splits once."""
    english = language == "en"
    exact, folded = [], []
    for run in runs:
        forms = [_word_forms(w, english) for w in run]
        marked = [m for m, _ in forms]
        if any(marked):
            # A pair has diacritics when one of its words has; numbers never have any (no
            # Unicode digit decomposes), so the parts of ranges and dates are not exact tokens.
            exact.extend([w for w, m in zip(run, marked) if m])
            exact.extend([f"{a}_{b}" for (a, b), (ma, mb) in zip(pairwise(run), pairwise(marked)) if ma or mb])
        folded.extend(_with_pairs([f for _, f in forms]))
    return Tokens(exact=exact, folded=folded)
