"""What the index stores of each paragraph's parts is what reading its text again would give."""
import json
from dataclasses import replace

import pytest

from bot.engine.picker.features import candidates_of
from index.chunk import parts
from index.sentences import parts_of, tokens_of
from index.tokenize import analyze
from index.store import load


@pytest.fixture(params=["memory", "tantivy"])
def indexed(request, docs_copy, tmp_path):
    return list(load(docs_copy, tmp_path / "ix", backend=request.param).paragraphs())


def _bare(paragraph):
    return replace(paragraph, part_tokens=None, part_words=None, part_facts=None)


def test_stored_parts_are_those_of_the_text(indexed):
    assert len(indexed) == 38
    for paragraph in indexed:
        count = len(parts(paragraph.text))
        # Stored for every part, so that reading them is what happens, not reading the text again.
        assert len(paragraph.part_tokens.split("\t")) == len(paragraph.part_words.split("\t")) == count
        assert len(json.loads(paragraph.part_facts)) == count
        assert parts_of(paragraph) == parts_of(_bare(paragraph))
        # What the stored parts leave to be asked again (the short line's verdicts) is what the text gives.
        for part in parts_of(paragraph):
            assert tokens_of(part.text, paragraph.language) == frozenset(analyze(part.text, paragraph.language).folded)
    assert any(part.facts.date for p in indexed for part in parts_of(p))
    assert any(len(run) > 1 for p in indexed for part in parts_of(p) for run, _, _ in part.facts.runs)


def test_the_picker_weighs_a_stored_paragraph_as_it_would_its_bare_text(indexed):
    for paragraph in indexed:
        # Uncached: a paragraph equals its bare copy, so the cache would answer for both.
        stored, read = candidates_of.__wrapped__(paragraph), candidates_of.__wrapped__(_bare(paragraph))
        assert [(c.text, c.tokens, c.words, c.written, c.facts) for c in stored] == [
            (c.text, c.tokens, c.words, c.written, c.facts) for c in read]
