"""What the index stores of each paragraph's parts is what reading its text again would give."""
from dataclasses import replace

import pytest

from bot.engine.picker.features import candidates_of
from index.chunk import parts
from index.store import load
from index.tokenize import analyze, words


@pytest.fixture(params=["memory", "tantivy"])
def indexed(request, docs_copy, tmp_path):
    return list(load(docs_copy, tmp_path / "ix", backend=request.param).paragraphs())


def test_stored_words_and_tokens_are_those_of_the_text(indexed):
    assert len(indexed) == 38
    for paragraph in indexed:
        pieces = [part for part, _, _ in parts(paragraph.text)]
        assert [w.split() for w in paragraph.part_words.split("\t")] == [words(p) for p in pieces]
        assert [set(t.split()) for t in paragraph.part_tokens.split("\t")] == [
            set(analyze(p, paragraph.language).folded) for p in pieces]


def test_the_picker_weighs_a_stored_paragraph_as_it_would_its_bare_text(indexed):
    for paragraph in indexed:
        bare = replace(paragraph, part_tokens=None, part_words=None)
        # Uncached: a paragraph equals its bare copy, so the cache would answer for both.
        stored, read = candidates_of.__wrapped__(paragraph), candidates_of.__wrapped__(bare)
        assert [(c.text, c.tokens, c.words, c.counts, c.folded_counts, c.size, c.facts) for c in stored] == [
            (c.text, c.tokens, c.words, c.counts, c.folded_counts, c.size, c.facts) for c in read]
