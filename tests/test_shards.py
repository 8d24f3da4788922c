"""The Xapian term index split into shards served by real `xapian-tcpsrv` servers.

The bundled and fixture articles are indexed into two shards and into one database;
the real questions of the fixture sets must rank the same paragraphs with the same
scores whether the shards are read remotely, read locally or not split at all.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

import pytest
import xapian

from index.articles import DEFAULT_MAX_ARTICLE_BYTES, article_files
from index.pipeline import process
from index.search import EXACT_WEIGHT, Query
from index.tokenize import Tokens, analyze
from index.xapian_terms import ARTICLE, ShardUnreachable, XapianTerms
from tests.conftest import DOCS, EN_DOC, FIXTURE_ARTICLES, NEWS_DATA, free_port

QUESTION_SETS = [NEWS_DATA / name for name in ("questions_bundled.json", "questions_fixtures.json")]
EXTRA_QUESTIONS = [  # (text, language): accented and unaccented Vietnamese, English, a repeated word
    ("Đô trưởng Khuong Sreng hội đàm với ai tại Hà Nội?", "vi"),
    ("do truong khuong sreng hoi dam voi ai tai ha noi", "vi"),
    ("When did Khuong Sreng visit Hanoi?", "en"),
    ("Busan Busan Đà Nẵng du lịch", "vi"),
]


def questions() -> list[tuple[str, str]]:
    """Every fixture question with the language it is written in (the id's prefix; -x- cases answer in the other)."""
    cases = [case for path in QUESTION_SETS for case in json.loads(path.read_text(encoding="utf-8"))["cases"]]
    return [(case["q"], case["id"][:2]) for case in cases] + EXTRA_QUESTIONS


def to_query(text: str, language: str) -> Query:
    tokens = analyze(text, language)
    return Query(folded=tokens.folded, exact=tokens.exact)


# --- the corpus -------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus() -> list[tuple[int, str, Tokens]]:
    """(pid, doc_id, tokens) of every paragraph of the real articles, pids in reading order."""
    rows = []
    for path in article_files(DOCS) + article_files(FIXTURE_ARTICLES):
        article = process(path, DEFAULT_MAX_ARTICLE_BYTES)
        for paragraph, tokens in zip(article.paragraphs, article.tokens):
            rows.append((len(rows), paragraph.doc_id, tokens))
    return rows


def build(folder: Path, rows, shards: int) -> Path:
    terms = XapianTerms(folder, writable=True, shards=shards)
    for pid, doc_id, tokens in rows:
        terms.add(pid, doc_id, tokens)
    terms.commit()
    terms.close()
    return folder


@pytest.fixture(scope="module")
def sharded(corpus, tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("sharded"), corpus, shards=2)


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    terms = XapianTerms(build(tmp_path_factory.mktemp("single"), corpus, shards=1))
    yield terms
    terms.close()


@pytest.fixture(scope="module")
def local_shards(sharded):
    terms = XapianTerms(sharded)
    yield terms
    terms.close()


# --- the servers ------------------------------------------------------------------

class Servers:
    """xapian-tcpsrv processes, each in its own process group with the children it forks per connection."""

    def __init__(self):
        self.executable = shutil.which("xapian-tcpsrv")
        if self.executable is None:
            pytest.fail("xapian-tcpsrv is not on PATH: install xapian-tools (apt-get install xapian-tools)")
        self.processes: dict[str, subprocess.Popen] = {}
        self.log = tempfile.TemporaryFile()  # the servers' output; not a pipe, which nobody would drain

    def start(self, folder: Path) -> str:
        """Serve one shard folder read-only on a free port; returns host:port once it answers Xapian's handshake."""
        for _ in range(3):  # another process may take the free port before the server binds it
            port = free_port()
            process = subprocess.Popen([self.executable, "--quiet", "--interface", "127.0.0.1", "--port", str(port),
                                        str(folder)], stdout=self.log, stderr=self.log, start_new_session=True)
            deadline = time.monotonic() + 10
            while process.poll() is None and time.monotonic() < deadline:
                try:
                    xapian.remote_open("127.0.0.1", port).close()
                except xapian.NetworkError:
                    time.sleep(0.05)
                    continue
                address = f"127.0.0.1:{port}"
                self.processes[address] = process
                return address
            self._stop(process)
        self.log.seek(0)
        pytest.fail(f"xapian-tcpsrv did not start serving {folder}: {self.log.read().decode(errors='replace')[-500:]}")

    def stop(self, address: str) -> None:
        self._stop(self.processes.pop(address))

    def stop_all(self) -> None:
        for address in list(self.processes):
            self.stop(address)
        self.log.close()

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        """Terminate the server's process group, then kill what is left of it after 5 s.

        The group is gone only when its connection children, orphaned by the server's
        exit, have been reaped too.
        """
        for sig, grace in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                process.poll()
                try:
                    os.killpg(process.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.02)
        process.wait()


@pytest.fixture(scope="module")
def servers():
    running = Servers()
    yield running
    running.stop_all()


@pytest.fixture(scope="module")
def remote(sharded, servers):
    terms = XapianTerms(sharded, remotes=[servers.start(sharded / f"shard-{i}") for i in range(2)])
    yield terms
    terms.close()


# --- the checks -------------------------------------------------------------------

def assert_same(got: list[tuple[int, float]], want: list[tuple[int, float]]) -> None:
    assert [pid for pid, _ in got] == [pid for pid, _ in want]
    assert [score for _, score in got] == pytest.approx([score for _, score in want], rel=1e-9, abs=1e-12)


def test_articles_are_split_over_both_shards_whole(corpus, sharded):
    shards = [xapian.Database(str(sharded / f"shard-{i}")) for i in range(2)]
    assert all(shard.get_doccount() > 0 for shard in shards)
    assert sum(shard.get_doccount() for shard in shards) == len(corpus)
    for doc_id, paragraphs in Counter(doc_id for _, doc_id, _ in corpus).items():
        home = zlib.crc32(doc_id.encode()) % 2  # the same in every process, so any later one removes from the right shard
        assert [shard.get_termfreq(ARTICLE + doc_id) for shard in shards] == [paragraphs * (i == home) for i in range(2)]


def test_remote_shards_rank_like_one_database(corpus, single, local_shards, remote):
    answered = 0
    for text, language in questions():
        query = to_query(text, language)
        for k in (12, len(corpus)):
            want = single.search(query, k)
            assert_same(remote.search(query, k), want)
            assert_same(local_shards.search(query, k), want)
        answered += bool(want)
    assert answered >= 60


def test_scores_are_bm25_over_the_matching_paragraphs(corpus, remote):
    """Xapian's BM25 recomputed here: k1 1.5, b 0.75, its damped idf, a query token's count and EXACT_WEIGHT as factors."""
    lengths = {pid: len(tokens.folded) + len(tokens.exact) for pid, _, tokens in corpus}
    average = sum(lengths.values()) / len(corpus)
    fields = {("F", pid): Counter(tokens.folded) for pid, _, tokens in corpus}
    fields |= {("E", pid): Counter(tokens.exact) for pid, _, tokens in corpus}

    def expected(query: Query) -> dict[int, float]:
        scores: dict[int, float] = Counter()
        for field, tokens, weight in (("F", query.folded, 1.0), ("E", query.exact, EXACT_WEIGHT)):
            for token, count in Counter(tokens).items():
                having = [pid for pid, _, _ in corpus if fields[field, pid][token]]
                tw = (len(corpus) - len(having) + 0.5) / (len(having) + 0.5)
                idf = math.log(tw if tw >= 2 else tw * 0.5 + 1)
                for pid in having:
                    wdf = fields[field, pid][token]
                    norm = 1.5 * (0.75 * lengths[pid] / average + 0.25)
                    scores[pid] += weight * count * idf * 2.5 * wdf / (norm + wdf)
        return scores

    for text, language in questions():
        query = to_query(text, language)
        got = remote.search(query, len(corpus))
        want = expected(query)
        assert dict(got) == pytest.approx(want, rel=1e-9)
        assert [score for _, score in got] == sorted((score for _, score in got), reverse=True)
    once = remote.search(Query(folded=["busan"], exact=[]), 5)
    twice = remote.search(Query(folded=["busan", "busan"], exact=[]), 5)
    assert [pid for pid, _ in twice] == [pid for pid, _ in once]
    assert [score for _, score in twice] == pytest.approx([2 * score for _, score in once])


def test_ties_fall_in_pid_order_in_every_layout(corpus, tmp_path):
    """Each paragraph eight times over, the copies in other articles: groups of eight ties, across shards.

    One database and two shards sum a paragraph's term weights in different orders, so
    ties come out a few ulp apart; the order, and which tied paragraphs make the cut,
    must still be the same.
    """
    n = len(corpus)
    copies = corpus + [(pid + copy * n, f"copy{copy}-{doc_id}", tokens)
                       for copy in range(1, 8) for pid, doc_id, tokens in corpus]
    one = XapianTerms(build(tmp_path / "one", copies, 1))
    two = XapianTerms(build(tmp_path / "two", copies, 2))
    for text, language in questions():
        query = to_query(text, language)
        for k in range(1, 25):
            assert_same(two.search(query, k), one.search(query, k))
        ranked = two.search(query, len(copies))
        assert all(a[1] > b[1] * (1 + 1e-9) or a[0] < b[0] for a, b in itertools.pairwise(ranked))
    one.close()
    two.close()


def test_doc_freq_and_size_agree(corpus, single, local_shards, remote):
    truth = Counter(token for _, _, tokens in corpus for token in set(tokens.folded))
    assert single.size == local_shards.size == remote.size == len(corpus)
    tokens = {token for text, language in questions() for token in to_query(text, language).folded}
    assert sum(token in truth for token in tokens) > 100
    for token in tokens:
        assert single.doc_freq(token) == local_shards.doc_freq(token) == remote.doc_freq(token) == truth[token]


def everything(corpus) -> Query:
    """A query every paragraph with a token matches."""
    return Query(folded=sorted({t for _, _, tokens in corpus for t in tokens.folded}), exact=[])


def test_remove_then_add_again(corpus, tmp_path, servers):
    folder = build(tmp_path / "terms", corpus, shards=2)
    removed = {pid for pid, doc_id, _ in corpus if doc_id == EN_DOC}
    others = {pid for pid, _, tokens in corpus if tokens.folded} - removed
    question = to_query("When did Khuong Sreng visit Hanoi?", "en")
    writer = XapianTerms(folder, writable=True)
    before = writer.search(question, 12)
    assert {pid for pid, _ in before} & removed

    writer.remove(EN_DOC)
    assert writer.size == len(corpus)  # not before commit
    writer.commit()
    remote = XapianTerms(folder, remotes=[servers.start(folder / f"shard-{i}") for i in range(2)])
    for reader in (writer, remote):
        assert reader.size == len(corpus) - len(removed)
        assert {pid for pid, _ in reader.search(everything(corpus), len(corpus))} == others
        assert not {pid for pid, _ in reader.search(question, len(corpus))} & removed
    remote.close()

    moved = len(corpus)  # a paragraph store gives re-added paragraphs new ids
    for pid, doc_id, tokens in corpus:
        if doc_id == EN_DOC:
            writer.add(moved + pid, doc_id, tokens)
    writer.commit()
    assert writer.size == len(corpus)
    assert_same(writer.search(question, 12), [(pid + moved if pid in removed else pid, s) for pid, s in before])
    writer.close()


def test_unreachable_remote_is_named(sharded, servers):
    closed = f"127.0.0.1:{free_port()}"
    with pytest.raises(ShardUnreachable, match=closed):
        XapianTerms(sharded, remotes=[servers.start(sharded / "shard-0"), closed])

    addresses = [servers.start(sharded / f"shard-{i}") for i in range(2)]
    terms = XapianTerms(sharded, remotes=addresses)
    assert terms.search(to_query("Khuong Sreng", "en"), 5)
    servers.stop(addresses[1])
    with pytest.raises(ShardUnreachable, match=addresses[1]):
        terms.search(to_query("Khuong Sreng", "en"), 5)
    terms.close()


def test_reader_needs_shards(tmp_path):
    with pytest.raises(FileNotFoundError):
        XapianTerms(tmp_path)


def test_existing_folder_keeps_its_shard_count(corpus, tmp_path):
    build(tmp_path, corpus[:40], shards=3)
    build(tmp_path, corpus[40:], shards=5)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shard-0", "shard-1", "shard-2"]
    terms = XapianTerms(tmp_path)
    assert terms.size == len(corpus)
    assert {pid for pid, _ in terms.search(everything(corpus), len(corpus))} == {
        pid for pid, _, tokens in corpus if tokens.folded}
    terms.close()


def test_tokens_too_long_for_xapian_are_left_out(tmp_path):
    long = "ư" * 130  # 260 bytes
    terms = XapianTerms(tmp_path, writable=True, shards=2)
    terms.add(0, "a", Tokens(exact=[long], folded=[long, "hanoi"]))
    terms.add(1, "b", Tokens(exact=[], folded=["hanoi", "hanoi"]))
    terms.commit()
    assert terms.doc_freq(long) == 0
    assert terms.search(Query(folded=[long], exact=[long]), 5) == []
    assert [pid for pid, _ in terms.search(Query(folded=["hanoi", long], exact=[]), 5)] == [1, 0]
    terms.close()
