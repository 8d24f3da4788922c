"""The saved index: reused when fresh, rebuilt when articles change or the file is corrupt."""
import pickle

from index.options import IndexOptions
from index.store import INDEX_FILE, build, load, save

from .conftest import EN_DOC


def test_saved_index_is_reused(docs_copy, tmp_path, capsys):
    load(docs_copy, tmp_path)
    written = (tmp_path / INDEX_FILE).stat().st_mtime_ns
    second = load(docs_copy, tmp_path)
    assert (tmp_path / INDEX_FILE).stat().st_mtime_ns == written  # read back, not rebuilt and saved again
    assert second.paragraph_count == 38
    assert capsys.readouterr().err == ""


def test_added_article_makes_the_index_stale(docs_copy, tmp_path, capsys):
    load(docs_copy, tmp_path)
    (docs_copy / "002_new.txt").write_text(
        "Hanoi and Vientiane sign a cooperation agreement\n\n"
        "Hanoi and Vientiane signed a memorandum on October 14, 2025 to expand cooperation.\n\n"
        "The two cities agreed to exchange delegations every year.\n", "utf-8")
    index = load(docs_copy, tmp_path)
    assert "added 002_new.txt" in capsys.readouterr().err
    assert len(index.articles) == 3


def test_removed_and_changed_articles_are_noticed(docs_copy, tmp_path, capsys):
    load(docs_copy, tmp_path)
    (docs_copy / f"{EN_DOC}.txt").unlink()
    index = load(docs_copy, tmp_path)
    assert f"removed {EN_DOC}.txt" in capsys.readouterr().err
    assert [a.language for a in index.articles] == ["vi"]


def test_corrupt_index_is_rebuilt_with_a_warning(docs_copy, tmp_path, capsys):
    load(docs_copy, tmp_path)
    (tmp_path / INDEX_FILE).write_bytes(b"\x80\x04 definitely not a pickle")
    index = load(docs_copy, tmp_path)
    assert "unreadable" in capsys.readouterr().err
    assert index.paragraph_count == 38
    with open(tmp_path / INDEX_FILE, "rb") as f:
        assert pickle.load(f).paragraph_count == 38


def test_old_format_is_rebuilt(docs_copy, tmp_path, capsys):
    index = build(docs_copy)
    index.format_version = -1
    save(index, tmp_path)
    assert load(docs_copy, tmp_path).format_version != -1
    assert "unreadable" in capsys.readouterr().err


def test_empty_folder_gives_an_empty_index(tmp_path):
    docs = tmp_path / "empty"
    docs.mkdir()
    index = load(docs, tmp_path / "ix")
    assert index.paragraph_count == 0 and index.articles == []


def test_article_of_only_chrome_is_reported(docs_copy, tmp_path, capsys):
    (docs_copy / "chrome.txt").write_text("Log in\n\nRelated news\n\nShare:\n", "utf-8")
    index = load(docs_copy, tmp_path)
    assert "chrome.txt: no article text found" in capsys.readouterr().err
    assert len(index.articles) == 2


def test_too_large_file_is_named_and_skipped(docs_copy, tmp_path, capsys):
    (docs_copy / "huge.txt").write_text("A huge pasted page\n\n" + "Lorem ipsum dolor sit amet. " * 5000, "utf-8")
    index = load(docs_copy, tmp_path, options=IndexOptions(max_article_bytes=50_000))
    assert "huge.txt: too large for an article" in capsys.readouterr().err
    assert len(index.articles) == 2


def test_leftover_temporary_files_do_not_matter(docs_copy, tmp_path, capsys):
    load(docs_copy, tmp_path)
    (tmp_path / ".index-crashed.tmp").write_bytes(b"half a pickle")
    index = load(docs_copy, tmp_path)
    assert capsys.readouterr().err == "" and index.paragraph_count == 38


class _CrashesWhilePickled:
    def __reduce__(self):
        raise RuntimeError("the machine died while writing the index")


def test_a_crash_while_writing_leaves_the_previous_index(docs_copy, tmp_path, capsys):
    tmp_path = tmp_path / "ix"
    save(build(docs_copy), tmp_path)
    broken = build(docs_copy)
    broken.problems = [_CrashesWhilePickled()]  # pickled after the paragraphs: the crash comes mid-file
    try:
        save(broken, tmp_path)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the crash did not happen")
    index = load(docs_copy, tmp_path)
    assert capsys.readouterr().err == "" and index.paragraph_count == 38
    assert sorted(p.name for p in tmp_path.iterdir()) == [INDEX_FILE]
