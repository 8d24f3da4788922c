"""What the picker knows about a candidate sentence: a row of numbers, each one explainable.

Coverage features weigh each concept of the question by its idf and count it once,
whichever of its translations matched (Pirkola's structured queries), so a word with
ten dictionary translations does not outweigh a name with one. Exact matches and
matches through a translation are kept apart, because a translation is weaker evidence.
The rest say what kind of thing the sentence holds (a date for "when", a new name for
"who"), where it stands, and how well its paragraph was ranked.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from index.chunk import Paragraph
from index.search import Retriever
from index.sentences import parts_of
from index.tokenize import fold, has_diacritics, stem
from index.tokenize import words as split_words

from ..dictionary import dictionary
from ..questions import Concept, ParsedQuestion
from .evidence import SentenceFacts, facts, is_named, new_people, new_places

# Each feature, in the order of a row; the weights file names them, so a model fitted
# for another list is refused rather than misread.
NAMES = (
    "bias",
    "own_coverage",          # question concepts the sentence holds in the question's own words
    "translated_coverage",   # ... only through the glossary or dictionary
    "neighbour_coverage",    # ... that the sentences before and after add
    "paragraph_coverage",    # ... anywhere in the paragraph
    "article_coverage",      # ... anywhere in the article
    "missing_in_article",    # the weightiest concept the article lacks (its share of the weight)
    "phrase_coverage",       # the question's adjacent word pairs the sentence holds, of those within one concept
                             # (counting pairs across two concepts too was measured: no better)
    "sentence_bm25",         # BM25 of the sentence, relative to the best candidate's
    "paragraph_bm25",        # retrieval score of the paragraph, relative to the best
    "paragraph_rank",        # 1 / (1 + rank of the paragraph)
    "new_words",             # share of the sentence's words the question does not use
    "length",                # log of the sentence's word count
    "first_sentence",
    "title",                 # the article's title or a heading: says little by itself
    "same_language",
    "type_date",             # a when-question and a sentence with a date
    "type_number",           # a how-many question and a number
    "type_name",             # a who/where question and a name the question does not give
    "type_missing",          # the question asks a type the sentence does not hold
    "previous_coverage",     # coverage of the sentence before (the answer may follow it)
    "matched_idf",           # the idf the sentence matches, not divided by the question's: rare words found
    "rarest_match",          # idf of the rarest concept the sentence holds
    "question_vietnamese",   # Vietnamese syllables match by chance more often than English words
    "unknown_concepts",      # share of the question's weight in words no article uses at all
    "local_coverage",        # coverage with idf over the candidate sentences: a word every sentence
                             # of the article uses ("Luther" in Luther's biography) tells them apart little
    "density",               # matched idf per word of the sentence: short sentences that say just that
    "type_person",           # a who-question and a titled person the question does not name
    "accent_coverage",       # the question's accented syllables found as written ("bán" is not "bàn")
    "type_meeting",          # a who-met-whom question and a meeting with a titled person it does not name
    "plain_bm25",            # BM25 of the sentence's written words, question words included, relative to the best
                             # in the question's language: what a plain sentence search scores, parts of words too
    "plain_top",             # the sentence a plain sentence search in the question's language would quote
    "asked_date",            # a when-question and a date of what it asks, not of another event nearby
                             # (`short.dates.belongs`; the extractor fills it, as it knows the earlier paragraphs)
    "other_place",           # a figure asked of one place and a sentence naming others, not it: its figure is
                             # another place's (`short.places.of_another_place`, filled by the extractor; for other
                             # questions measured worse: "the Hanoi delegation" met Hun Sen in Phnom Penh)
    "other_word_coverage",   # question concepts a Vietnamese sentence holds only as syllables of other words:
                             # "số" (number) in "số lượng" (quantity), "đông" (populous) folded in "Hội đồng"
)
INDEX = {name: i for i, name in enumerate(NAMES)}
BM25_K1, BM25_B = 1.2, 0.75
PLAIN_K1 = 1.5  # rank-bm25's default, for the plain search
TYPED = {"when", "quantity", "who", "where", "role", "who_met"}
PERSON_KINDS = {"who", "who_met", "role"}


@dataclass
class Candidate:
    paragraph: Paragraph
    text: str
    sentence: str  # the whole sentence the text comes from
    part_of_sentence: bool
    tokens: frozenset[str]
    facts: SentenceFacts
    words: frozenset[str] = frozenset()  # the tokens that are words, not pairs
    written: tuple[str, ...] = ()  # its words as written (lower case, diacritics kept), in order

    @cached_property
    def folded(self) -> tuple[str, ...]:
        """Its written words without diacritics, for words asked without them: folded when first asked,
        as one text (folding keeps the spaces between words and adds none)."""
        return tuple(fold(" ".join(self.written)).split(" ")) if self.written else ()

    @cached_property
    def name_words(self) -> frozenset[str]:
        """The folded words of its names (capitalised mid-sentence)."""
        return frozenset(fold(w.casefold()) for name in self.facts.names for w in name.split())


def idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def concept_df(concept: Concept, doc_freq: dict[str, int], size: int) -> int:
    """In how many paragraphs (of `size`) the concept occurs, its alternatives counted together as one
    term; `doc_freq` has every token of its alternatives."""
    df = sum(min((doc_freq[t] for t in alternative), default=0) for alternative in concept.alternatives)
    return min(df, size)


def match(concept: Concept, tokens: frozenset[str]) -> int:
    """2 when the question's own words occur, 1 through a translation, else 0."""
    if any(alt <= tokens for alt in concept.own):
        return 2
    if any(alt <= tokens for alt in concept.alternatives):
        return 1
    return 0


def written_as_asked(concept: Concept, cand: Candidate) -> list[int] | None:
    """Where a Vietnamese sentence writes the concept as a syllable written as asked, when it holds it
    only as syllables (None when it holds it as a phrase, or as a name: capitalised mid-sentence).
    Folded and split into syllables, "đông" (populous) is in "Hội đồng" (council), written otherwise."""
    held = [alt for alt in concept.alternatives if alt <= cand.tokens]
    if not held or any(len(alt) > 1 for alt in held):
        return None
    tokens = {token for (token,) in held}
    if not tokens.isdisjoint(cand.name_words):
        return None
    loose = tokens & concept.loose
    return ([k for form in concept.syllables for k in _positions(cand.written, form)]
            + [k for token in loose for k in _positions(cand.folded, token)])


def _positions(words: tuple[str, ...], word: str) -> list[int]:
    """Where `words` has `word` (`tuple.index` scans in C: a sentence may have a hundred words)."""
    found, k = [], -1
    try:
        while True:
            k = words.index(word, k + 1)
            found.append(k)
    except ValueError:
        return found


def _pairs_at(cand: Candidate, at: list[int]) -> list[tuple[str, ...]]:
    """The written pairs of syllables each of these places makes with the syllable before and after it."""
    return [cand.written[a:a + 2] for k in at for a in (k - 1, k) if 0 <= a and a + 2 <= len(cand.written)]


def of_other_words(checks: list[tuple[Candidate, list[int]]]) -> list[bool]:
    """For each sentence and the places of `written_as_asked`: whether each place is a syllable of a
    longer word ("số", number, in "số lượng", quantity), so that the sentence holds the concept only
    through syllables of other words. Vietnamese writes a word's syllables apart; the dictionary tells
    its words of two syllables (asked for all the sentences at once)."""
    words = dictionary().words_among({pair for cand, at in checks for pair in _pairs_at(cand, at)})
    return [all(any(pair in words for pair in _pairs_at(cand, [k])) for k in at) for cand, at in checks]


@lru_cache(maxsize=16384)
def candidates_of(paragraph: Paragraph) -> tuple[Candidate, ...]:
    """The quotable parts of a paragraph with their tokens and facts (kept for the next question)."""
    return tuple(Candidate(paragraph, part.text, part.sentence, part.cut, part.tokens, facts(part.text, part.facts),
                           part.plain, tuple(part.words))
                 for part in parts_of(paragraph))


def _search_keys(asked, english: bool) -> dict[str, list[str]]:
    """The written words `asked` by the search token each gives in a text of that language (folded,
    English stemmed, as `tokenize.analyze`): a candidate's words are among its tokens so, and a
    word whose token a candidate lacks is not among its words, unaccented or not. That spares
    counting the words of every candidate for a question's few words."""
    keys: dict[str, list[str]] = {}
    for w in asked:
        keys.setdefault(stem(fold(w)) if english else fold(w), []).append(w)
    return keys


def _held(cand: Candidate, keys: dict[str, list[str]]) -> list[str]:
    """Which of the words behind `keys` the candidate may hold (its tokens have theirs)."""
    return [w for t in cand.tokens & keys.keys() for w in keys[t]]


@dataclass
class Parts:
    """The parts of one paragraph's candidates' rows that depend on the question alone, not on
    the other candidates: the Python work of a row, which numpy then weighs over them all."""
    matches: np.ndarray       # candidates x concepts: `match`
    inside: np.ndarray        # ... held only as syllables of other words (`of_other_words`)
    in_paragraph: np.ndarray  # ... matched anywhere in the paragraph
    in_article: np.ndarray    # ... anywhere in the article
    each: np.ndarray          # candidates x (phrase coverage, summed idf of its tokens, new words, word count)
    accent: np.ndarray        # the accent coverage of each
    plain: np.ndarray         # candidates x the question's written words: their counts (`_plain_bm25`)
    written: np.ndarray       # the words each writes


@dataclass
class Known:
    """The `Parts` of a question's paragraphs, by paragraph, computed so far: the encoder's selection
    weighs the words-alone picker's paragraphs again, with a few more."""
    question: ParsedQuestion
    parts: dict[tuple[str, int], Parts] = field(default_factory=dict)


def _spread(groups: list[tuple[Candidate, ...]]):
    """Each paragraph's count of candidates, where each paragraph's start in the rows, and how to
    give each candidate its paragraph's value (a value or a row per paragraph)."""
    sizes = np.array([len(here) for here in groups])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return sizes, starts, lambda values: np.repeat(np.asarray(values, dtype=float), sizes, axis=0)


def matrix(question: ParsedQuestion, paragraphs: list[tuple[Paragraph, float, tuple[Candidate, ...]]],
           search: Retriever, asked: frozenset[str], proper: frozenset[str], known: Known | None = None
           ) -> np.ndarray:
    """One row per candidate of every paragraph, in order; `known`: the parts of the paragraphs
    already weighed for this question, which it adds to."""
    concepts = question.concepts
    size = search.size
    n = size or 1
    owners: dict[str, list[int]] = {}  # token -> the concepts it can help match
    for j, concept in enumerate(concepts):
        for t in {t for alt in concept.alternatives for t in alt}:
            owners.setdefault(t, []).append(j)
    universe = frozenset(owners)
    doc_freq = dict(zip(universe, map(search.doc_freq, universe)))  # each token asked once, whichever concepts have it
    dfs = np.array([concept_df(c, doc_freq, size) for c in concepts], dtype=float)
    weights = np.log(1 + (n - dfs + 0.5) / (dfs + 0.5))
    total = weights.sum() or 1.0
    # Concepts no paragraph uses in any of their forms or translations: a topic the articles lack.
    unknown = weights @ (dfs == 0) / total
    top_bm25 = max((s for _, s, _ in paragraphs), default=1.0) or 1.0
    # "Who met X?": when X is a person the articles name, the meeting must be X's.
    party = question.kind == "who_met" and any(_party(person, asked) for _, _, cands in paragraphs
                                               for cand in cands for person in cand.facts.persons)
    found = [(rank, paragraph, score, cands) for rank, (paragraph, score, cands) in enumerate(paragraphs) if cands]
    if not found:
        return np.zeros((0, len(NAMES)))
    if known is None or known.question is not question:
        known = Known(question)
    todo = {(p.doc_id, p.number): (p, cands) for _, p, _, cands in found if (p.doc_id, p.number) not in known.parts}
    if todo:
        known.parts.update(zip(todo, _parts(question, list(todo.values()), search, asked, owners, doc_freq)))
    parts = [known.parts[p.doc_id, p.number] for _, p, _, _ in found]
    cands = [cand for *_, here in found for cand in here]
    sizes, starts, per_paragraph = _spread([here for *_, here in found])
    matches, inside = np.vstack([p.matches for p in parts]), np.vstack([p.inside for p in parts])
    in_paragraph, in_article = np.vstack([p.in_paragraph for p in parts]), np.vstack([p.in_article for p in parts])
    phrase, summed, new_words, lengths = np.vstack([p.each for p in parts]).T
    present = (matches > 0).astype(float)
    first = np.zeros(len(cands), dtype=bool)
    first[starts] = True
    last = np.roll(first, -1)
    previous = np.vstack([np.zeros((1, len(concepts))), present[:-1]]) * ~first[:, None]
    following = np.vstack([present[1:], np.zeros((1, len(concepts)))]) * ~last[:, None]
    around = np.maximum(previous, following) * (1 - present)
    out = np.zeros((len(cands), len(NAMES)))
    column = {name: out[:, i] for name, i in INDEX.items()}
    column["bias"][:] = 1.0
    column["own_coverage"][:] = (matches == 2) @ weights / total
    column["translated_coverage"][:] = (matches == 1) @ weights / total
    column["other_word_coverage"][:] = inside @ weights / total
    column["neighbour_coverage"][:] = around @ weights / total
    column["paragraph_coverage"][:] = in_paragraph @ weights / total
    column["article_coverage"][:] = in_article @ weights / total
    column["missing_in_article"][:] = (weights * (1 - in_article)).max(axis=1, initial=0.0) / total
    column["phrase_coverage"][:] = phrase
    column["sentence_bm25"][:] = summed
    column["paragraph_bm25"][:] = per_paragraph([score / top_bm25 for _, _, score, _ in found])
    column["paragraph_rank"][:] = per_paragraph([1.0 / (1 + rank) for rank, *_ in found])
    column["new_words"][:] = new_words
    column["length"][:] = np.log1p(lengths)
    column["first_sentence"][:] = first
    column["title"][:] = per_paragraph([p.kind in ("title", "heading", "caption") for _, p, _, _ in found])
    column["same_language"][:] = per_paragraph([p.language == question.language for _, p, _, _ in found])
    column["previous_coverage"][:] = previous @ weights / total
    column["matched_idf"][:] = present @ weights
    column["rarest_match"][:] = (present * weights).max(axis=1, initial=0.0)
    column["question_vietnamese"][:] = float(question.language == "vi")
    column["unknown_concepts"][:] = unknown
    column["accent_coverage"][:] = np.concatenate([p.accent for p in parts])
    if question.kind in TYPED or question.kind in PERSON_KINDS:  # other questions ask no type
        for i, cand in enumerate(cands):
            _type_features(out[i], question.kind, cand.facts, asked, proper, party)
    local = np.log(1 + (len(present) - present.sum(axis=0) + 0.5) / (present.sum(axis=0) + 0.5))
    column["local_coverage"][:] = present @ local / (local.sum() or 1.0)
    # BM25's length normalisation over these sentences, then relative to the best one.
    column["density"][:] = column["matched_idf"] / np.maximum(lengths, 1.0)
    norm = (BM25_K1 + 1) / (1 + BM25_K1 * (1 - BM25_B + BM25_B * lengths / (lengths.mean() or 1.0)))
    bm25 = column["sentence_bm25"] * norm
    column["sentence_bm25"][:] = bm25 / (bm25.max() or 1.0)
    # In the other language a plain search matches names and numbers only: measured, the
    # plain score helps there only when left out (cross-validated, en->vi -1.7 points with it).
    plain = _plain_bm25(np.vstack([p.plain for p in parts]), np.concatenate([p.written for p in parts])
                        ) * column["same_language"]
    if plain.max() > 0:
        out[:, INDEX["plain_bm25"]] = plain / plain.max()
        out[int(np.argmax(plain)), INDEX["plain_top"]] = 1.0
    return out


def _parts(question: ParsedQuestion, paragraphs: list[tuple[Paragraph, tuple[Candidate, ...]]], search: Retriever,
           asked: frozenset[str], owners: dict[str, list[int]], doc_freq: dict[str, int]) -> list[Parts]:
    """The `Parts` of each paragraph's candidates (all at once: the dictionary and the articles' words
    are asked for them together)."""
    concepts = question.concepts
    n = search.size or 1
    universe = frozenset(owners)
    token_idf = {t: idf(doc_freq[t], n) for c in concepts for alt in c.own for t in alt}
    pairs = frozenset(question.pairs)
    accented = [w for w in split_words(question.text) if has_diacritics(w)]
    accent_idf = {w: idf(search.doc_freq(fold(w)), n) for w in accented}
    accent_total = sum(accent_idf.values()) or 1.0
    cands = [cand for _, here in paragraphs for cand in here]
    sizes, starts, per_paragraph = _spread([here for _, here in paragraphs])
    # Only the tokens a candidate shares with the question can match: most share none.
    shared = [cand.tokens & universe for cand in cands]
    matches = np.zeros((len(cands), len(concepts)))
    for i, here in enumerate(shared):
        for j in {j for t in here for j in owners[t]}:
            matches[i, j] = match(concepts[j], here)
    inside = np.zeros_like(matches)
    matched = zip(*(where.tolist() for where in np.nonzero(matches)))  # candidate by candidate, concepts in order
    places = [(i, j, written_as_asked(concepts[j], cands[i])) for i, j in matched if cands[i].paragraph.language == "vi"]
    places = [(i, j, at) for i, j, at in places if at is not None]
    for (i, j, _), other in zip(places, of_other_words([(cands[i], at) for i, _, at in places])):
        inside[i, j] = other
    in_paragraph = per_paragraph([[match(c, frozenset().union(*shared[a:a + k])) > 0 for c in concepts]
                                  for a, k in zip(starts, sizes)]).reshape(len(cands), len(concepts))
    # A token no paragraph has is in no article: not looked up.
    article_words = search.article_words({p.doc_id for p, _ in paragraphs},
                                         frozenset(t for t in universe if doc_freq[t]))
    in_article = per_paragraph([[match(c, article_words[paragraph.doc_id]) > 0 for c in concepts]
                                for paragraph, _ in paragraphs]).reshape(len(cands), len(concepts))
    each = np.array([[len(here & pairs) / len(pairs) if pairs else 0.0,
                      sum(token_idf.get(t, 0.0) for t in here),
                      1 - len(cand.words & asked) / len(cand.words) if cand.words else 0.0,
                      len(cand.words)] for cand, here in zip(cands, shared)], dtype=float).reshape(len(cands), 4)
    accent = np.zeros(len(cands))
    if accented:
        keys = _search_keys(frozenset(accent_idf), english=False)
        accent[:] = [sum(accent_idf[w] for w in _held(cand, keys) if w in cand.written) / accent_total
                     if cand.paragraph.language == "vi" else 0.0 for cand in cands]
    plain, written = _plain_counts(question.text, cands)
    ends = np.cumsum(sizes)
    return [Parts(matches[a:b], inside[a:b], in_paragraph[a:b], in_article[a:b], each[a:b], accent[a:b],
                  plain[a:b], written[a:b]) for a, b in zip(starts, ends)]


def _plain_counts(question: str, cands: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
    """For `_plain_bm25`: how often each candidate writes each written word of the question
    (one asked with diacritics only as written, one asked without in any accenting), and its
    count of written words."""
    asked = list(dict.fromkeys(split_words(question)))
    column = {w: j for j, w in enumerate(asked)}
    exact = {w for w in asked if has_diacritics(w)}
    tf = np.zeros((len(cands), len(asked)))
    keys = {english: _search_keys(asked, english) for english in (False, True)}
    held = {english: frozenset(keys[english]) for english in (False, True)}  # intersected faster than a dict's keys
    for i, cand in enumerate(cands):  # set intersections: most candidates share few words
        english = cand.paragraph.language == "en"
        for t in cand.tokens & held[english]:
            for w in keys[english][t]:
                tf[i, column[w]] = (cand.written if w in exact else cand.folded).count(w)
    return tf, np.array([len(cand.written) for cand in cands], dtype=float)


def _plain_bm25(tf: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """BM25 of each candidate for every written word of the question (`_plain_counts`), idf over the
    candidates: what a plain search of unaccented text scores, a word asked with diacritics as written."""
    df = (tf > 0).sum(axis=0)
    weights = np.log(1 + (len(tf) - df + 0.5) / (df + 0.5))
    norm = PLAIN_K1 * (1 - BM25_B + BM25_B * lengths / (lengths.mean() or 1.0))
    return (tf * (PLAIN_K1 + 1) / (tf + norm[:, None])) @ weights


def _party(person: str, asked: frozenset[str]) -> bool:
    """Whether the question names this person: titles and bodies go before a name, so its last word is the name's."""
    return fold(person.split()[-1].casefold()) in asked


def _type_features(row: np.ndarray, kind: str, sentence: SentenceFacts, asked: frozenset[str],
                   proper: frozenset[str], party: bool = False) -> None:
    """`party`: the question names a person the articles name (a who-met question's other party)."""
    date = kind == "when" and sentence.date
    number = kind == "quantity" and sentence.number
    name = (kind in PERSON_KINDS and bool(new_people(sentence, asked, proper))
            or kind == "where" and bool(new_places(sentence, asked)))
    row[INDEX["type_date"]] = float(date)
    row[INDEX["type_number"]] = float(number)
    row[INDEX["type_name"]] = float(name)
    row[INDEX["type_missing"]] = float(kind in TYPED and not (date or number or name))
    row[INDEX["type_person"]] = float(kind in PERSON_KINDS and any(
        not is_named(person, asked) for person in sentence.persons))
    row[INDEX["type_meeting"]] = float(kind == "who_met" and sentence.meeting and row[INDEX["type_person"]] == 1
                                       and (not party or any(_party(person, asked) for person in sentence.persons)))


# The encoder's features, appended to a row when the index has sentence vectors: the
# multilingual encoder's cosine says what words and a dictionary miss across languages
# (issue #17). A model fitted with them is another weights file (`model.model(dense=True)`).
DENSE_NAMES = (
    "cosine",                 # the sentence's cosine with the question (e5: "query:" / "passage:")
    "cosine_rank",            # 1 / (1 + its rank by cosine among the candidates)
    "cosine_margin",          # its cosine minus the best candidate's
    "neighbour_cosine",       # the best cosine of the sentences before and after it
    "paragraph_cosine",       # the best cosine in its paragraph
    "cosine_other_language",  # the cosine again when the sentence is in the other language: e5 puts
                              # a question's own language closer, so across languages it reads otherwise
)


def dense_matrix(cosines: list[np.ndarray], same_language: np.ndarray) -> np.ndarray:
    """The encoder's columns for the candidates of each paragraph, `cosines` one array per paragraph."""
    if not cosines:
        return np.zeros((0, len(DENSE_NAMES)))
    cos = np.concatenate(cosines).astype(float)
    sizes = [len(c) for c in cosines]
    order = np.argsort(-cos, kind="stable")
    rank = np.empty(len(cos))
    rank[order] = np.arange(len(cos))
    neighbour = np.concatenate([np.maximum(np.concatenate([[-1.0], c[:-1]]), np.concatenate([c[1:], [-1.0]]))
                                for c in (np.asarray(c, dtype=float) for c in cosines)])
    neighbour = np.where(neighbour < -0.5, cos, neighbour)  # a paragraph of one sentence: its own
    paragraph = np.repeat([float(np.max(c)) for c in cosines], sizes)
    return np.column_stack([cos, 1 / (1 + rank), cos - cos.max(), neighbour, paragraph, cos * (1 - same_language)])
