"""Retrieval scores are rank-bm25's, however they are computed."""
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from bot.engine.pipeline import search_query
from bot.engine.questions import parse
from index.search import Postings
from index.store import build

from .conftest import DOCS


@pytest.fixture(scope="module")
def corpus():
    from index.tokenize import analyze

    index = build(DOCS)
    return [analyze(p.text, p.language).folded for p in index.paragraphs()]


@pytest.mark.parametrize("question", [
    "When did Khuong Sreng visit Hanoi?",
    "ai hoi dam voi khuong sreng o phnom penh",
    "Hai bên đã nhất trí những gì tại cuộc hội đàm?",
    "How many people live in Hanoi? Hanoi Hanoi",  # repeated tokens count again
    "nothing here matches xyzzy",
])
def test_postings_give_rank_bm25_scores(corpus, question):
    tokens = search_query(parse(question), question).folded
    expected = BM25Okapi(corpus).get_scores(tokens)
    assert np.allclose(Postings(corpus).scores(tokens), expected, atol=1e-9)
    assert expected.max() > 0 or "xyzzy" in question
