"""The bot answering from Xapian shards served by two xapian-tcpsrv processes on 127.0.0.1."""
import json

import pytest

from bot.engine import Engine
from bot.render import full_text
from index.options import IndexOptions
from index.store import CURRENT_FILE, TERMS_DIR, load

from .conftest import run_bot
from .test_disk_index import _questions
from .test_shards import Servers


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    from .conftest import DOCS, FIXTURE_ARTICLES

    folder = tmp_path_factory.mktemp("docs")
    for path in [*DOCS.glob("*.txt"), *FIXTURE_ARTICLES.glob("*.txt")]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def sharded_index(docs, tmp_path_factory):
    """`python -m bot index --backend xapian` as an operator runs it, split into two shards."""
    index_dir = tmp_path_factory.mktemp("ix2")
    built = run_bot("index", "--docs", str(docs), "--index-dir", str(index_dir), "--backend", "xapian",
                    env={"BOT_XAPIAN_SHARDS": "2"}, timeout=120)
    assert built.returncode == 0, built.stderr
    assert "(xapian)" in built.stdout
    return index_dir


@pytest.fixture(scope="module")
def remotes(sharded_index):
    servers = Servers()
    terms = sharded_index / (sharded_index / CURRENT_FILE).read_text() / TERMS_DIR
    addresses = [servers.start(terms / f"shard-{i}") for i in range(2)]
    yield addresses
    servers.stop_all()


def test_two_remote_shards_answer_like_one_index(docs, sharded_index, remotes, tmp_path):
    single = Engine(load(docs, tmp_path / "ix1", backend="xapian", options=IndexOptions(xapian_shards=1)))
    sharded = Engine(load(docs, sharded_index, backend="xapian", options=IndexOptions(xapian_remotes=tuple(remotes))))
    assert sharded.index.paragraph_count == single.index.paragraph_count > 80
    questions = _questions()
    answered = 0
    for question in questions:
        reply = sharded.answer(question)
        assert full_text(reply) == full_text(single.answer(question)), question
        answered += reply.answered
    assert answered > len(questions) // 2


def test_ask_through_remote_shards(docs, sharded_index, remotes):
    asked = run_bot("ask", "--json", "--docs", str(docs), "--index-dir", str(sharded_index), "--backend", "xapian",
                    "When did Khuong Sreng visit Hanoi?", env={"BOT_XAPIAN_REMOTES": ",".join(remotes)})
    assert asked.returncode == 0 and asked.stderr == "", asked.stderr
    reply = json.loads(asked.stdout)
    assert reply["answered"] and "September 4-6" in reply["answer"]


def test_a_shard_that_is_down_is_one_line_not_a_traceback(docs, sharded_index, remotes):
    down = remotes[:1] + ["127.0.0.1:9"]  # the discard port: nothing serves Xapian there
    asked = run_bot("ask", "--docs", str(docs), "--index-dir", str(sharded_index), "--backend", "xapian",
                    "When did Khuong Sreng visit Hanoi?", env={"BOT_XAPIAN_REMOTES": ",".join(down)})
    assert asked.returncode == 1
    assert "127.0.0.1:9" in asked.stderr and "Traceback" not in asked.stderr
    assert len(asked.stderr.strip().splitlines()) == 1


def test_a_malformed_remote_list_is_one_line(docs, sharded_index):
    asked = run_bot("ask", "--docs", str(docs), "--index-dir", str(sharded_index), "--backend", "xapian",
                    "When did Khuong Sreng visit Hanoi?", env={"BOT_XAPIAN_REMOTES": "shard0;shard1"})
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    assert asked.stderr.startswith("error: BOT_XAPIAN_REMOTES must be host:port")


def test_shards_of_another_build_are_refused(docs, sharded_index, remotes, tmp_path):
    """Paragraph ids of one build name other paragraphs in another: citing them would quote the wrong text."""
    other = tmp_path / "rebuilt"
    built = run_bot("index", "--docs", str(docs), "--index-dir", str(other), "--backend", "xapian")
    assert built.returncode == 0, built.stderr
    asked = run_bot("ask", "--docs", str(docs), "--index-dir", str(other), "--backend", "xapian",
                    "When did Khuong Sreng visit Hanoi?", env={"BOT_XAPIAN_REMOTES": ",".join(remotes)})
    assert asked.returncode == 2 and "Traceback" not in asked.stderr, asked.stderr
    assert "serves another build of the index" in asked.stderr
