"""The tantivy index: the same answers as the in-memory one, and updated article by article."""
import json

import pytest

from bot.engine import Engine
from bot.render import full_text
from index.store import CURRENT_FILE, FORMAT_VERSION, build, choose_backend, load

from .conftest import EN_DOC, NEWS_DATA, ROOT, VI_DOC, run_bot

DEV_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev_questions.json"
NEW_ARTICLE = (
    "---\ntitle: Hanoi and Vientiane sign a cooperation agreement\nlanguage: en\n---\n"
    "Hanoi and Vientiane sign a cooperation agreement\n\n"
    "Hanoi and Vientiane signed a memorandum on October 14, 2025 to expand cooperation in tourism.\n\n"
    "The two cities agreed to exchange delegations of young artists every year.\n")


def _questions() -> list[str]:
    """The dev questions (beside the project in CI) and the project's own set on the bundled articles."""
    sets = [NEWS_DATA / "questions_bundled.json"]
    sets += [DEV_QUESTIONS] if DEV_QUESTIONS.exists() else []
    return [case["q"] for path in sets for case in json.loads(path.read_text("utf-8"))["cases"]]


@pytest.fixture
def disk_index(docs_copy, tmp_path):
    return load(docs_copy, tmp_path / "ix", backend="tantivy")


def test_both_backends_give_the_same_answers(docs_copy, tmp_path):
    memory = Engine(load(docs_copy, tmp_path / "m", backend="memory"))
    disk = Engine(load(docs_copy, tmp_path / "t", backend="tantivy"))
    assert (memory.index.backend, disk.index.backend) == ("memory", "tantivy")
    questions = _questions()
    assert len(questions) >= 40
    differ, other_article = [], []
    for question in questions:
        on_disk, in_memory = disk.answer(question), memory.answer(question)
        assert on_disk.answered == in_memory.answered, question
        if full_text(on_disk) != full_text(in_memory):
            differ.append(question)
        if [c.doc for c in on_disk.citations[:1]] != [c.doc for c in in_memory.citations[:1]]:
            other_article.append(question)
    # The two compute BM25 a little differently (rank-bm25's idf floor, tantivy's Lucene idf) and the
    # picker weighs a paragraph's score: an answer may move to another paragraph of the same article,
    # and, once, to the other language's article where both say it and their quotes score alike.
    assert len(differ) <= len(questions) // 20, differ
    assert len(other_article) <= 1, other_article


def test_disk_index_holds_the_same_paragraphs(docs_copy, tmp_path, disk_index):
    memory = load(docs_copy, tmp_path / "m", backend="memory")
    assert disk_index.paragraph_count == memory.paragraph_count == 38
    assert list(disk_index.paragraphs()) == list(memory.paragraphs())
    assert disk_index.proper == memory.proper
    assert disk_index.articles == memory.articles
    asked = frozenset({"khuong", "sreng", "hanoi", "ha", "noi", "phnom", "penh", "zzz", "hop", "tac"})
    words = disk_index.search.article_words([VI_DOC, EN_DOC, "no such article"], asked)
    assert words == memory.search.article_words([VI_DOC, EN_DOC, "no such article"], asked)
    assert words[VI_DOC] == asked - {"zzz", "hanoi"}
    assert "hanoi" in words[EN_DOC] and "hop" not in words[EN_DOC] and not words["no such article"]


def test_an_index_of_the_older_format_is_rebuilt_not_misread(docs_copy, tmp_path, disk_index, capsys):
    """Format 8 kept an article's words one row each: an index of it (the same indexing code otherwise) is
    rebuilt when opened, and the rebuilt one finds a question's words in each article as before."""
    import pickle
    import sqlite3

    from index.paragraph_store import STORE_FILE
    from index.store import _write_manifest

    asked = frozenset({"khuong", "sreng", "hanoi", "ha", "noi", "zzz"})
    expected = disk_index.search.article_words([VI_DOC, EN_DOC], asked)
    folder = disk_index.search.folder
    del disk_index
    db = sqlite3.connect(folder / STORE_FILE)
    db.executescript("DROP TABLE article_words; CREATE TABLE article_words (doc_id TEXT NOT NULL, word TEXT NOT NULL,"
                     " PRIMARY KEY (doc_id, word)) WITHOUT ROWID; DELETE FROM settings WHERE key = 'format';")
    db.executemany("INSERT INTO article_words VALUES (?, ?)", [(doc, w) for doc, words in expected.items() for w in words])
    db.execute("INSERT INTO settings VALUES ('format', ?)", (pickle.dumps(8),))
    db.commit()
    db.close()
    _write_manifest(folder)  # as that code would have listed it: not damaged, only older
    capsys.readouterr()
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert "indexing code changed; rebuilding" in capsys.readouterr().err
    assert index.search.folder != folder and index.format_version == FORMAT_VERSION
    assert index.search.article_words([VI_DOC, EN_DOC], asked) == expected
    assert expected[VI_DOC] == asked - {"zzz", "hanoi"}
    assert _ask(index, "When did Khuong Sreng visit Hanoi?").answered


def test_an_index_whose_parts_say_not_where_they_stand_is_rebuilt(docs_copy, tmp_path, disk_index, capsys):
    """Format 9 stored each part's facts without its place in the paragraph: an index of it is rebuilt
    when opened, not read as if the places were there, and answers as before."""
    import pickle
    import sqlite3

    from index.paragraph_store import STORE_FILE
    from index.store import _write_manifest

    before = _ask(disk_index, "When did Khuong Sreng visit Hanoi?")
    folder = disk_index.search.folder
    del disk_index
    db = sqlite3.connect(folder / STORE_FILE)
    rows = db.execute("SELECT pid, part_facts FROM paragraphs").fetchall()
    db.executemany("UPDATE paragraphs SET part_facts = ? WHERE pid = ?",
                   [(json.dumps([f[:3] for f in json.loads(facts)]), pid) for pid, facts in rows])
    db.execute("UPDATE settings SET value = ? WHERE key = 'format'", (pickle.dumps(9),))
    db.commit()
    db.close()
    _write_manifest(folder)
    capsys.readouterr()
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert "indexing code changed; rebuilding" in capsys.readouterr().err
    assert index.search.folder != folder and index.format_version == FORMAT_VERSION
    assert full_text(_ask(index, "When did Khuong Sreng visit Hanoi?")) == full_text(before)


def test_an_archive_indexed_by_worker_processes_holds_what_one_process_reads(docs_copy, tmp_path):
    """Above 50 articles the tokenizing workers send each article to the writer (packed for the trip): the
    paragraphs, each part's stored tokens, words and facts, the articles' words and every token's paragraph
    count are those of the one-process memory index."""
    from index.sentences import parts_of

    for source in sorted(docs_copy.glob("*.txt")):
        for n in range(30):
            (docs_copy / f"{source.stem}_{n:02d}.txt").write_text(source.read_text("utf-8"), "utf-8")
    disk = load(docs_copy, tmp_path / "ix", backend="tantivy")
    memory = load(docs_copy, tmp_path / "m", backend="memory")
    assert disk.paragraph_count == memory.paragraph_count == 38 * 31
    on_disk, in_memory = list(disk.paragraphs()), list(memory.paragraphs())
    assert on_disk == in_memory
    assert [parts_of(p) for p in on_disk] == [parts_of(p) for p in in_memory]
    tokens = {t for p in in_memory for part in parts_of(p) for t in part.tokens}
    assert len(tokens) > 300 and all(disk.search.doc_freq(t) == memory.search.doc_freq(t) for t in tokens)
    ids = [a.doc_id for a in memory.articles]
    assert disk.search.article_words(ids, frozenset(tokens)) == memory.search.article_words(ids, frozenset(tokens))


def test_a_disk_index_answers_without_reading_its_article_list(docs_copy, tmp_path, disk_index, monkeypatch, capsys):
    """At a million paragraphs the article list is 50,000 rows: a start and a question need only their count
    and languages; the list is read when something lists it, and is the memory index's."""
    from index.paragraph_store import ParagraphStore

    memory = load(docs_copy, tmp_path / "m", backend="memory")
    listed = ParagraphStore.articles
    monkeypatch.setattr(ParagraphStore, "articles", lambda self: pytest.fail("the article list was read"))
    capsys.readouterr()
    engine = Engine(load(docs_copy, tmp_path / "ix", backend="tantivy"))  # the saved index, opened
    assert capsys.readouterr().err == ""  # not found damaged and rebuilt
    assert engine.languages == Engine(memory).languages == {"vi", "en"}
    assert engine.stats().articles == len(memory.articles) == 2
    assert engine.answer("When did Khuong Sreng visit Hanoi?").answered
    monkeypatch.setattr(ParagraphStore, "articles", listed)
    assert [a.doc_id for a in engine.articles] == [a.doc_id for a in memory.articles]
    assert engine.articles[-1] == memory.articles[-1] and list(engine.articles) == memory.articles


def test_saved_disk_index_is_reused(docs_copy, tmp_path, disk_index, capsys):
    capsys.readouterr()
    folder = (tmp_path / "ix" / CURRENT_FILE).read_text()
    again = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert capsys.readouterr().err == ""
    assert (tmp_path / "ix" / CURRENT_FILE).read_text() == folder
    assert again.paragraph_count == 38


def _ask(index, question):
    return Engine(index).answer(question)


def test_an_added_article_is_indexed_without_rebuilding(docs_copy, tmp_path, disk_index, capsys):
    (docs_copy / "002_vientiane.txt").write_text(NEW_ARTICLE, "utf-8")
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert "(added 002_vientiane.txt); updating those only" in capsys.readouterr().err
    assert index.paragraph_count == 38 + 3 and len(index.articles) == 3
    answer = _ask(index, "When did Hanoi and Vientiane sign the memorandum?")
    assert answer.answered and answer.citations[0].doc == "002_vientiane"
    assert "October 14, 2025" in full_text(answer)


def test_removed_and_changed_articles_leave_the_index(docs_copy, tmp_path, disk_index, capsys):
    (docs_copy / f"{EN_DOC}.txt").unlink()
    vi = docs_copy / f"{VI_DOC}.txt"
    vi.write_text(vi.read_text("utf-8").replace("Khuong Sreng", "Kim Ly"), "utf-8")
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    err = capsys.readouterr().err
    assert f"changed {VI_DOC}.txt" in err and f"removed {EN_DOC}.txt" in err
    assert [a.doc_id for a in index.articles] == [VI_DOC]
    texts = [p.text for p in index.paragraphs()]
    assert any("Kim Ly" in t for t in texts) and not any("Khuong Sreng" in t for t in texts)
    assert index.paragraph_count == len(texts)
    hits = index.search.search(_query_for(index, "Kim Ly Khuong Sreng"), 50)
    assert hits and all(h.paragraph.doc_id == VI_DOC and "Khuong" not in h.paragraph.text for h in hits)


def _query_for(index, text):
    from bot.engine.pipeline import search_query
    from bot.engine.questions import parse

    return search_query(parse(text), text)


def test_an_update_that_died_midway_is_redone(docs_copy, tmp_path, disk_index, capsys):
    """An update writes a new generation and switches to it last: one that died left the index as it was."""
    dead = tmp_path / "ix" / "tantivy-died"
    (dead / "terms").mkdir(parents=True)
    (dead / "paragraphs.sqlite").write_bytes(b"half an update")
    (docs_copy / "002_vientiane.txt").write_text(NEW_ARTICLE, "utf-8")
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert "updating those only" in capsys.readouterr().err
    assert index.paragraph_count == 41 and not dead.exists()
    assert _ask(index, "When did Hanoi and Vientiane sign the memorandum?").answered
    assert load(docs_copy, tmp_path / "ix", backend="tantivy").paragraph_count == 41
    assert capsys.readouterr().err == ""  # done once, not on every load


def test_a_broken_article_is_reported_once_not_retried(docs_copy, tmp_path, disk_index, capsys):
    (docs_copy / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \xff")
    load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert "broken.txt: not UTF-8" in capsys.readouterr().err
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert capsys.readouterr().err == ""
    assert any("broken.txt" in p for p in index.problems) and index.paragraph_count == 38


def test_the_stamps_a_start_reads_whole_are_those_of_the_files_indexed_and_skipped(docs_copy, tmp_path, disk_index):
    """A start compares the folder with the stamps each generation keeps in one piece: they are what the articles
    table and the skipped files say, after a build and after each kind of update."""
    from index.store import scan

    (docs_copy / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \xff")
    changes = [lambda: None, lambda: (docs_copy / "002_vientiane.txt").write_text(NEW_ARTICLE, "utf-8"),
               lambda: (docs_copy / f"{EN_DOC}.txt").unlink()]
    for change in changes:
        change()
        index = load(docs_copy, tmp_path / "ix", backend="tantivy")
        store = index.search.store
        skipped = {name: (size, mtime) for name, (size, mtime, _) in store.get("skipped").items()}
        assert "broken.txt" in skipped
        assert index.fingerprint == store.fingerprint() | skipped == scan(docs_copy).articles


def test_auto_backend_follows_the_size_of_the_folder():
    assert choose_backend("auto", {"a.txt": (10_000, 0)}) == "memory"
    assert choose_backend("auto", {f"{i}.txt": (400_000, 0) for i in range(30)}) == "tantivy"
    assert choose_backend("memory", {f"{i}.txt": (400_000, 0) for i in range(30)}) == "memory"


def test_switching_backend_rebuilds(docs_copy, tmp_path):
    question = "When did Khuong Sreng visit Hanoi?"
    memory = load(docs_copy, tmp_path / "ix", backend="memory")
    disk = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert not (tmp_path / "ix" / "index.pkl").exists()
    from_disk, disk_backend = full_text(Engine(disk).answer(question)), disk.backend
    del disk  # no longer read: the disk index can go
    again = load(docs_copy, tmp_path / "ix", backend="memory")
    assert (memory.backend, disk_backend, again.backend) == ("memory", "tantivy", "memory")
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == ["index.pkl", "update.lock"]
    assert load(docs_copy, tmp_path / "ix").backend == "memory"  # auto follows the index saved last
    assert full_text(Engine(again).answer(question)) == from_disk


def test_build_of_a_missing_folder_writes_nothing(tmp_path):
    from index.articles import DocsError

    with pytest.raises(DocsError):
        build(tmp_path / "nope", tmp_path / "ix", backend="tantivy")
    assert not (tmp_path / "ix").exists()


def test_cli_index_and_ask_with_the_tantivy_backend(docs_copy, tmp_path):
    index_dir = tmp_path / "ix"
    built = run_bot("index", "--docs", str(docs_copy), "--index-dir", str(index_dir), "--backend", "tantivy")
    assert built.returncode == 0, built.stderr
    assert "indexed 2 articles, 38 paragraphs (tantivy)" in built.stdout
    asked = run_bot("ask", "--json", "--docs", str(docs_copy), "--index-dir", str(index_dir),
                    "When did Khuong Sreng visit Hanoi?", env={"BOT_INDEX_BACKEND": "tantivy"})
    assert asked.returncode == 0 and asked.stderr == "", asked.stderr
    reply = json.loads(asked.stdout)
    assert reply["answered"] and "September 4-6" in reply["answer"]
    wrong = run_bot("ask", "--docs", str(docs_copy), "hello", env={"BOT_INDEX_BACKEND": "elastic"})
    assert wrong.returncode == 2 and "BOT_INDEX_BACKEND must be one of" in wrong.stderr


def test_an_update_running_elsewhere_is_not_waited_for(docs_copy, tmp_path, disk_index, capsys):
    import fcntl

    (docs_copy / "002_vientiane.txt").write_text(NEW_ARTICLE, "utf-8")
    with open(tmp_path / "ix" / "update.lock", "a") as other:  # another bot worker, busy with the same change
        fcntl.flock(other, fcntl.LOCK_EX)
        index = load(docs_copy, tmp_path / "ix", backend="tantivy")
        assert "another process is updating this index" in capsys.readouterr().err
        assert index.paragraph_count == 38  # served as it was
    assert load(docs_copy, tmp_path / "ix", backend="tantivy").paragraph_count == 41


@pytest.mark.parametrize("change", ["add", "change"])
def test_an_updated_index_answers_like_a_fresh_one(docs_copy, tmp_path, disk_index, change, capsys):
    if change == "add":  # taken in alone
        (docs_copy / "002_vientiane.txt").write_text(NEW_ARTICLE, "utf-8")
    else:  # half the paragraphs deleted: tantivy would still count them, so it is rebuilt
        vi = docs_copy / f"{VI_DOC}.txt"
        vi.write_text(vi.read_text("utf-8") + "\n", "utf-8")
    updated = Engine(load(docs_copy, tmp_path / "ix", backend="tantivy"))
    assert ("rebuilt" in capsys.readouterr().err) == (change == "change")
    fresh = Engine(load(docs_copy, tmp_path / "fresh", backend="tantivy"))
    for question in _questions():
        assert full_text(updated.answer(question)) == full_text(fresh.answer(question)), question


@pytest.mark.parametrize("backend", ["memory", "tantivy"])
def test_two_files_with_one_article_id_are_one_problem(docs_copy, tmp_path, backend, capsys):
    (docs_copy / f"{EN_DOC}.md").write_text(NEW_ARTICLE, "utf-8")
    index = load(docs_copy, tmp_path / "ix", backend=backend)
    assert f"{EN_DOC}.txt: another file already has the id" in capsys.readouterr().err
    texts = [p.text for p in index.paragraphs()]  # the .md file, sorted first, keeps the id
    assert any("Vientiane" in t for t in texts) and not any("Tran Sy Thanh" in t for t in texts)
    again = load(docs_copy, tmp_path / "ix", backend=backend)
    assert [a.doc_id for a in again.articles] == [VI_DOC, EN_DOC]
    if backend == "tantivy":
        assert capsys.readouterr().err == ""  # reported once, not re-indexed on every load


def test_an_article_with_the_id_of_an_indexed_one_is_skipped(docs_copy, tmp_path, disk_index, capsys):
    capsys.readouterr()
    (docs_copy / f"{EN_DOC}.md").write_text(NEW_ARTICLE, "utf-8")
    index = load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert f"{EN_DOC}.md: another file already has the id" in capsys.readouterr().err
    assert index.paragraph_count == 38  # the indexed .txt keeps its id and its paragraphs
    load(docs_copy, tmp_path / "ix", backend="tantivy")
    assert capsys.readouterr().err == ""


def test_auto_keeps_a_disk_index_built_on_purpose(docs_copy, tmp_path, disk_index):
    assert load(docs_copy, tmp_path / "ix").backend == "tantivy"  # a small folder, but it was asked for


def _on_a_terminal(*args: str) -> str:
    """What `python -m bot ...` writes to a 120-column terminal (a pseudo-terminal)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "bot", *args], stdin=follower, stdout=follower,
                               stderr=follower, cwd=ROOT, close_fds=True)
    os.close(follower)
    out = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not data:
            break
        out.append(data)
    os.close(leader)
    process.wait(timeout=60)
    return b"".join(out).decode(errors="replace")


def test_indexing_shows_progress_on_a_terminal_only(docs_copy, tmp_path):
    args = ("index", "--docs", str(docs_copy), "--index-dir", str(tmp_path / "ix"), "--backend", "tantivy")
    shown = _on_a_terminal(*args)
    assert "indexing:" in shown and "0/2 [" in shown and "indexed 2 articles" in shown
    piped = run_bot(*args)
    assert piped.returncode == 0 and "indexing:" not in piped.stderr and "article/s" not in piped.stderr


def test_a_build_sweeps_what_killed_builds_left(docs_copy, tmp_path, disk_index):
    leftover = tmp_path / "ix" / "tantivy-killed"
    (leftover / "terms").mkdir(parents=True)
    (leftover / "paragraphs.sqlite").write_bytes(b"half an index")
    index = build(docs_copy, tmp_path / "ix", backend="tantivy")
    current = (tmp_path / "ix" / CURRENT_FILE).read_text()
    read = disk_index.search.folder.name  # the fixture still reads the previous generation: it stays
    assert sorted(p.name for p in (tmp_path / "ix").iterdir()) == sorted([CURRENT_FILE, current, read, "update.lock"])
    assert index.paragraph_count == 38


@pytest.mark.parametrize("backend", ["tantivy", "xapian"])
def test_a_search_scores_the_same_whatever_order_its_words_come_in(docs_copy, tmp_path, backend):
    """The question's tokens come in an order that differs between processes (set iteration):
    the scores must not, or a paragraph at the cut is found in one process and not in another."""
    from bot.engine.pipeline import search_query
    from bot.engine.questions import parse
    from index.search import Query

    index = load(docs_copy, tmp_path / "ix", backend=backend)
    for question in ("Hai nước kỷ niệm bao nhiêu năm quan hệ ngoại giao?", "What did the two sides agree on?"):
        query = search_query(parse(question), question)
        assert len(set(query.folded)) > 10
        turned = Query(folded=query.folded[::-1], exact=query.exact[::-1])
        hits, again = index.search.search(query, 16), index.search.search(turned, 16)
        assert [(h.paragraph.number, h.score) for h in hits] == [(h.paragraph.number, h.score) for h in again]


@pytest.mark.parametrize("backend", ["memory", "tantivy", "xapian"])
def test_a_questions_searches_made_together_give_what_each_gives_alone(docs_copy, tmp_path, backend):
    """`search_each` runs a question's two searches at once (tantivy: the second in another thread), reads
    their paragraphs in one go and searches a query with another's tokens in another order only once."""
    from bot.engine.pipeline import search_query
    from bot.engine.questions import parse
    from index.search import Query

    index = load(docs_copy, tmp_path / "ix", backend=backend)
    differ = 0
    for question in ("Hai nước kỷ niệm bao nhiêu năm quan hệ ngoại giao?", "What did the two sides agree on?",
                     "Who is the Prime Minister of Cambodia?"):
        parsed = parse(question)
        own, every = search_query(parsed, question, translated=False), search_query(parsed, question)
        turned = Query(folded=own.folded[::-1], exact=own.exact[::-1])
        alone = [index.search.search(query, 16) for query in (own, every, turned)]
        assert all(alone)
        differ += alone[0] != alone[1]
        assert index.search.search_each([own, every, turned], 16) == alone
    assert differ
