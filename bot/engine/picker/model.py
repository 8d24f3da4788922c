"""Score candidate sentences and decide whether the best one answers: three linear models.

The ranking model orders the candidates of one question; the acceptance model looks at
the best one (how it scored, how far ahead of the next, how much of the question it and
its article cover) and gives the probability that the articles hold the answer at all.
When articles in both languages compete, each language's candidates are judged apart and
the language model chooses which to quote: the question's own unless the other language
answers clearly better, since two articles in two languages often report different parts
of one event. All are plain dot products at answer time; their weights are data
(`weights.json`), written by `python -m training.fit_picker`.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .features import DENSE_NAMES, INDEX, NAMES

if TYPE_CHECKING:
    from ..extract import Selection

WEIGHTS = Path(__file__).parent / "weights.json"
# Fitted with the encoder's features and candidates: used when the index has sentence vectors
# and the encoder loads; `weights.json` answers without them (archives, no encoder).
DENSE_WEIGHTS = Path(__file__).parent / "weights-encoder.json"
# Features of the best candidate the acceptance model reads, besides the ranking's own verdict.
TOP_FEATURES = ("own_coverage", "translated_coverage", "neighbour_coverage", "paragraph_coverage",
                "article_coverage", "missing_in_article", "phrase_coverage", "type_missing", "same_language",
                "title", "matched_idf", "rarest_match", "question_vietnamese",
                "unknown_concepts", "other_place")
ACCEPT_NAMES = ("bias", "score", "margin", "best_article_coverage", *TOP_FEATURES)
# With the encoder, also: the best cosine of any candidate, the chosen one's, and how far the
# best cosine stands above the next (a sentence that answers stands out; in an article that
# lacks the answer, many are about as close); then the same three again when the chosen one is
# in the other language. Across languages the cosine is most of the evidence; in the question's
# own the words say more, and a question that names little ("Họ thống nhất gì?") is about as near
# to every sentence. Out of fold with the copies: news answer hit 74.1% -> 76.3%, en / vi 62.9 ->
# 63.2, vi / en 59.2 -> 59.5, the one-language figures within 0.1.
DENSE_ACCEPT_NAMES = ("best_cosine", "chosen_cosine", "cosine_lead",
                      "best_cosine_across", "chosen_cosine_across", "cosine_lead_across")
# The language model reads the log-odds that each language's best candidate answers.
LANGUAGE_NAMES = ("bias", "own_confidence", "other_confidence")


def log_odds(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def language_row(own: float, other: float) -> np.ndarray:
    return np.array([1.0, log_odds(own), log_odds(other)])


def quotes_other(language: np.ndarray, own: float, other: float) -> bool:
    """The language model's verdict, from each language's confidence."""
    return bool(language_row(own, other) @ language > 0)


def accept_row(rows: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The acceptance model's input for one question, from its candidates' rows and scores."""
    order = np.argsort(-scores, kind="stable")
    best = rows[order[0]]
    margin = scores[order[0]] - scores[order[1]] if len(order) > 1 else 1.0
    extra = [1.0, scores[order[0]], margin, rows[:, INDEX["article_coverage"]].max()]
    out = extra + [best[INDEX[name]] for name in TOP_FEATURES]
    if rows.shape[1] > len(NAMES):  # the encoder's columns follow the lexical ones
        cos = np.sort(rows[:, len(NAMES)])[::-1]
        dense = [cos[0], best[len(NAMES)], cos[0] - cos[1] if len(cos) > 1 else 0.0]
        out += dense + [value * (1.0 - best[INDEX["same_language"]]) for value in dense]
    return np.array(out)


@dataclass(frozen=True)
class Model:
    rank: np.ndarray
    accept: np.ndarray
    language: np.ndarray
    threshold: float
    # The least confidence to quote a sentence in the other language than the question's: never
    # above the pooled one-language threshold (`threshold` may be lower, for the news questions),
    # lower where the fit finds that answers more across languages while questions about an
    # absent article are still declined as often as required.
    cross_threshold: float | None = None
    # The encoder's picker only: the least confidence of the words-alone picker at which its answer
    # is kept, the question not even encoded, when its sentence is in the question's language and
    # when in the other (1.0: never kept). Where its rules make it sure ("who is X?" by the sentence
    # giving X's title, "who met X in <city>?" by the talks) the cosine may overturn it wrongly;
    # the fit (`training.fit_picker.fit_gate`) weighs that against what the cosine adds.
    lexical_gate: tuple[float, float] | None = None

    def keeps(self, words: Selection) -> bool:
        """Whether the words-alone picker's selection stands (this being the encoder's picker)."""
        return self.lexical_gate is not None and words.confidence >= self.lexical_gate[words.across]

    def least(self, cross: bool) -> float:
        """The least confidence to answer, `cross` when the sentence is in the other language."""
        return self.cross_threshold if cross and self.cross_threshold is not None else self.threshold

    def scores(self, rows: np.ndarray) -> np.ndarray:
        return rows @ self.rank

    def confidence(self, rows: np.ndarray, scores: np.ndarray) -> float:
        """Probability that the articles answer the question, judged by its best candidate."""
        return float(1 / (1 + np.exp(-(accept_row(rows, scores) @ self.accept))))

    def sides(self, rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, float, float] | None:
        """When both languages have candidates: which are in the question's language, and the
        confidence of each language's best judged apart."""
        own = rows[:, INDEX["same_language"]] > 0
        if own.all() or not own.any():
            return None
        return own, self.confidence(rows[own], scores[own]), self.confidence(rows[~own], scores[~own])

    def choose(self, rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, float]:
        """Which candidates may be quoted (those of one language) and how likely they answer."""
        found = self.sides(rows, scores)
        if found is None:
            return np.ones(len(rows), dtype=bool), self.confidence(rows, scores)
        own, mine, theirs = found
        return (~own, theirs) if quotes_other(self.language, mine, theirs) else (own, mine)

    @property
    def dense(self) -> bool:
        """Whether it reads the encoder's columns."""
        return len(self.rank) > len(NAMES)

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        dense = tuple(data["rank"]) == names(True)[0]
        rank, accept = names(dense)
        if (tuple(data["rank"]) != rank or tuple(data["accept"]) != accept
                or tuple(data.get("language", ())) != LANGUAGE_NAMES):
            raise ValueError("the picker's weights were fitted for other features; run python -m training.fit_picker")
        return cls(np.array([data["rank"][n] for n in rank]), np.array([data["accept"][n] for n in accept]),
                   np.array([data["language"][n] for n in LANGUAGE_NAMES]), float(data["threshold"]),
                   float(data["cross_threshold"]),
                   (data["lexical_gate"], data["lexical_gate_across"]) if "lexical_gate" in data else None)


def names(dense: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ranking's and the acceptance's feature names, with the encoder's or without."""
    return (NAMES + DENSE_NAMES, ACCEPT_NAMES + DENSE_ACCEPT_NAMES) if dense else (NAMES, ACCEPT_NAMES)


@lru_cache(maxsize=2)
def model(dense: bool = False) -> Model:
    """The committed picker: `dense`, the one fitted with the encoder's features."""
    return Model.from_dict(json.loads((DENSE_WEIGHTS if dense else WEIGHTS).read_text("utf-8")))
