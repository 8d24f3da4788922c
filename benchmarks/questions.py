"""Benchmark questions made from a corpus's own vocabulary, with a fixed seed.

The names, places, numbers and content words come from paragraphs sampled from the
index, so the questions hit the corpus the way users' questions would (and any
corpus works: the bundled articles as well as the generated ones). The mix is half
English, half Vietnamese; of the Vietnamese ones about 40% are typed without
diacritics. The forms are who / when / what-agreed / how-many, in both languages.
"""
from __future__ import annotations

import random
import re
import unicodedata

_NAME_WORD = re.compile(r"^[^\W\d_][^\W_]*$")
_TOKEN = re.compile(r"[^\W_][^\s,;:()“”\"]*")
_LOWER_WORD = re.compile(r"^[a-zà-ỹđ]+$")
SAMPLE_PARAGRAPHS = 3000
VI_FOLDED_SHARE = 0.4
CROSS_LINGUAL_SHARE = 0.15


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


MONTHS = frozenset("january february march april may june july august september october november december "
                   "monday tuesday wednesday thursday friday saturday sunday".split())


def name_runs(text: str, proper: frozenset[str]) -> list[str]:
    """Runs of words the corpus capitalises mid-sentence (index.proper), at most three long.

    A capitalised word the corpus does not treat as a name ("Meanwhile", "Tại") ends a run.
    """
    runs, run = [], []
    for token in _TOKEN.findall(text):
        word = token.rstrip(".’'")
        key = fold(word.casefold())
        if _NAME_WORD.match(word) and word[0].isupper() and key in proper and key not in MONTHS:
            run.append(word)
            continue
        if run:
            runs.append(run)
        run = []
    if run:
        runs.append(run)
    return [" ".join(r[-3:]) for r in runs]


def content_words(text: str, language: str, function: frozenset[str]) -> list[str]:
    """Lower-case content: English words of 5+ letters, Vietnamese two-syllable runs."""
    words = [w.strip(".,;:!?“”\"()") for w in text.split()]
    ok = [bool(_LOWER_WORD.match(w)) and fold(w) not in function and w not in function for w in words]
    if language == "en":
        return [w for w, good in zip(words, ok) if good and len(w) >= 5]
    return [f"{a} {b}" for a, b, ga, gb in zip(words, words[1:], ok, ok[1:]) if ga and gb]


EN_FORMS = {
    "who": ["Who did {a} meet in {place}?", "Who held talks with {a}?", "Who is {a}?",
            "Who welcomed {a} to {place}?"],
    "when": ["When did {a} visit {place}?", "When did {a} and {b} hold talks?", "When was the {word} in {place}?"],
    "agreed": ["What did {a} and {b} agree on?", "What did {place} agree on about {word}?",
               "What was agreed between {a} and {b}?"],
    "how_many": ["How many {word} did {place} record?", "How much did {place} invest in {word}?",
                 "What percentage did {word} grow in {place}?"],
}
VI_FORMS = {
    "who": ["{a} đã gặp ai tại {place}?", "Ai đã hội đàm với {a}?", "{a} là ai?", "Ai tiếp {a} ở {place}?"],
    "when": ["{a} thăm {place} khi nào?", "Khi nào {a} và {b} hội đàm?", "{word} ở {place} diễn ra vào ngày nào?"],
    "agreed": ["{a} và {b} nhất trí những gì?", "Hai bên nhất trí gì về {word}?", "{place} thống nhất điều gì với {a}?"],
    "how_many": ["{place} có bao nhiêu {word}?", "{place} đón bao nhiêu lượt khách?", "Tỷ lệ {word} của {place} là bao nhiêu?"],
}


def make_questions(paragraphs, n: int, seed: int = 42, proper: frozenset[str] = frozenset(),
                   function: frozenset[str] = frozenset()) -> list[dict]:
    """n questions as {"q", "lang", "form", "folded"}.

    `paragraphs` are index.chunk.Paragraph, `proper` the index's capitalised words
    (Index.proper), `function` words never used as content (bot/engine/data/function_words.json).
    """
    rng = random.Random(seed)
    pool = [p for p in paragraphs if p.kind in ("lead", "body")] or list(paragraphs)
    if not pool:
        return []
    sample = rng.sample(pool, min(len(pool), SAMPLE_PARAGRAPHS))
    by_lang: dict[str, list[tuple[list[str], list[str]]]] = {"en": [], "vi": []}
    all_names: list[str] = []
    for p in sample:
        names = list(dict.fromkeys(name_runs(p.text, proper)))
        words = content_words(p.text, p.language, function)
        all_names.extend(names)
        if names and words:
            by_lang.setdefault(p.language, []).append((names, words))
    every = by_lang["en"] + by_lang["vi"]
    if not every:
        return []
    out = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "vi"
        source_lang = lang if rng.random() > CROSS_LINGUAL_SHARE else ("vi" if lang == "en" else "en")
        names, words = rng.choice(by_lang.get(source_lang) or every)
        if source_lang != lang and by_lang.get(lang):  # names are shared, words are the asker's
            words = rng.choice(by_lang[lang])[1]
        a = rng.choice([x for x in names if " " in x] or names)  # prefer a full name
        others = [x for x in names if x != a] or [x for x in all_names if x != a] or [a]
        b = rng.choice(others)
        place = rng.choice([x for x in others if len(x.split()) <= 2] or others)
        form = rng.choice(list(EN_FORMS))
        template = rng.choice((EN_FORMS if lang == "en" else VI_FORMS)[form])
        q = template.format(a=a, b=b, place=place, word=rng.choice(words))
        q = q[0].upper() + q[1:]
        folded = lang == "vi" and rng.random() < VI_FOLDED_SHARE
        if folded:
            q = fold(q).lower() if rng.random() < 0.5 else fold(q)
        out.append({"q": q, "lang": lang, "form": form, "folded": folded})
    return out
