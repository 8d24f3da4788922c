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

import snowballstemmer

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_QUALITY = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: part of the vowel
_VOWELS = set("aeiouy")

# A token is a number (7.79, 24/6/1967, 4-6, 1,000) or a word; apostrophes join
# English contractions so that possessives can be dropped.
_TOKEN = re.compile(r"\d+(?:[.,/:-]\d+)*%?|[^\W\d_]+(?:['’][^\W\d_]+)*")
# Punctuation that ends a phrase: pairs are not formed across it.
_BREAK = re.compile(r"(?<!\d)[.,:]|[.,:](?!\d)|[;!?()\[\]{}\"“”«»|…–—]|\s[-–]\s")
_POSSESSIVE = re.compile(r"['’]s$")

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


def normalize(text: str) -> str:
    """NFC, traditional tone-mark placement and case folding."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[^\W\d_]+", lambda m: fix_tone(m.group()), text).casefold()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Strip diacritics (đ -> d), keeping letters and everything else."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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
    if token[0].isdigit():
        return [token.rstrip("%")]
    return [t for t in re.split(r"['’]", token) if t]


def _number_parts(word: str) -> list[str]:
    """Parts of a range or date ("4-6" -> 4, 6) so that "September 4" finds "September 4-6"."""
    if not word[0].isdigit():
        return []
    parts = re.split(r"[-/]", word)
    return parts if len(parts) > 1 else []


def phrases(text: str) -> list[list[str]]:
    """Normalized words of `text`, grouped into runs not broken by punctuation."""
    runs = []
    for chunk in _BREAK.split(normalize(text)):
        words = [w for tok in _TOKEN.findall(chunk) for w in _clean_token(tok)]
        if words:
            runs.append(words)
    return runs


def words(text: str) -> list[str]:
    return [w for run in phrases(text) for w in run]


def _with_pairs(runs: list[list[str]]) -> list[str]:
    tokens = []
    for run in runs:
        tokens.extend(run)
        tokens.extend(part for w in run for part in _number_parts(w))
        tokens.extend(f"{a}_{b}" for a, b in zip(run, run[1:]))
    return tokens


@dataclass(frozen=True)
class Tokens:
    exact: list[str]
    folded: list[str]


def fold_word(word: str, english: bool) -> str:
    folded = fold(word)
    return stem(folded) if english else folded


def analyze(text: str, language: str) -> Tokens:
    """Exact and folded token streams of `text` written in `language` ("vi"/"en")."""
    runs = phrases(text)
    english = language == "en"
    exact = [t for t in _with_pairs(runs) if has_diacritics(t)]
    folded = _with_pairs([[fold_word(w, english) for w in run] for run in runs])
    return Tokens(exact=exact, folded=folded)
