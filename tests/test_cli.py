"""The command line as a user runs it: a real subprocess on real folders."""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .conftest import EN_DOC, ROOT, run_bot


def test_ask_json(tmp_path):
    result = run_bot("ask", "--json", "When did Khuong Sreng visit Hanoi?", env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["language"] == "en" and out["answered"] is True
    assert "September 4-6" in out["answer"]
    assert out["citations"][0]["doc"] == EN_DOC
    assert out["text"].startswith(out["answer"])


def test_ask_plain_text(tmp_path):
    result = run_bot("ask", "Đại sứ Việt Nam tại Campuchia là ai?", env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0
    assert "Nguyễn Huy Tăng" in result.stdout and "Nguồn:" in result.stdout


def test_help_explains_every_subcommand():
    result = run_bot("--help")
    assert result.returncode == 0
    for command in ("ask", "console", "index", "telegram"):
        assert command in result.stdout
        sub = run_bot(command, "--help")
        assert sub.returncode == 0 and "--docs" in sub.stdout


def test_missing_folder_is_one_clear_line(tmp_path):
    result = run_bot("ask", "--docs", str(tmp_path / "nope"), "who?")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "docs folder not found" in result.stderr and "Traceback" not in result.stderr


def test_empty_question_exits_non_zero(tmp_path):
    result = run_bot("ask", "  ", env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "Please ask a question" in result.stdout


def test_unknown_command_is_a_usage_error():
    result = run_bot("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr


def test_broken_article_is_named_and_the_rest_indexed(docs_copy, tmp_path):
    (docs_copy / "broken.txt").write_bytes(b"Title line\n\xff\xfe not utf-8 \x80\n")
    result = run_bot("index", "--docs", str(docs_copy), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 1
    assert "broken.txt: not UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert "indexed 2 articles, 38 paragraphs" in result.stdout
    answer = run_bot("ask", "--docs", str(docs_copy), "--json", "When did Khuong Sreng visit Hanoi?",
                     env={"XDG_CACHE_HOME": str(tmp_path)})
    assert answer.returncode == 0 and json.loads(answer.stdout)["answered"]


def test_docs_from_environment(docs_copy, tmp_path):
    (docs_copy / f"{EN_DOC}.txt").unlink()
    result = run_bot("index", env={"BOT_DOCS_DIR": str(docs_copy), "XDG_CACHE_HOME": str(tmp_path)})
    assert "indexed 1 articles" in result.stdout


def test_console_reads_questions_from_a_pipe(tmp_path):
    stdin = "Who did Khuong Sreng meet in Hanoi?\nand when?\n\n/sources\n"
    result = run_bot("console", stdin=stdin, env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Tran Sy Thanh" in result.stdout and "September 4-6" in result.stdout
    assert "Articles I can answer from:" in result.stdout


def test_console_json_lines(tmp_path):
    stdin = "When did Khuong Sreng visit Hanoi?\nai hoi dam voi khuong sreng o phnom penh\n"
    result = run_bot("console", "--json", stdin=stdin, env={"XDG_CACHE_HOME": str(tmp_path)})
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["language"] for line in lines] == ["en", "vi"]
    assert all(line["answered"] for line in lines)


def _many_articles(folder, count):
    for n in range(count):
        (folder / f"gen_{n:04d}.txt").write_text(
            f"Delegation {n} visits the partner city\n\n"
            + "\n\n".join(f"Paragraph {p} of article {n}: the two cities agreed to expand trade, tourism "
                          f"and education cooperation on May {p % 28 + 1}, 2025." for p in range(30)), "utf-8")


def test_two_index_runs_at_once_leave_a_valid_index(docs_copy, tmp_path):
    _many_articles(docs_copy, 100)
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [subprocess.Popen([sys.executable, "-m", "bot", "index", "--docs", str(docs_copy)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    result = run_bot("ask", "--docs", str(docs_copy), "--json", "When did Khuong Sreng visit Hanoi?",
                     env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.stderr == "" and json.loads(result.stdout)["answered"]


def test_bad_settings_are_one_line_not_a_traceback(tmp_path):
    cases = [
        (["ask", "who?"], {"BOT_MAX_ARTICLE_MB": "lots"}, "BOT_MAX_ARTICLE_MB"),
        (["console"], {"BOT_CONTEXT_MINUTES": "abc"}, "BOT_CONTEXT_MINUTES"),
        (["telegram"], {"TELEGRAM_BOT_TOKEN": "123456789:abcdefghijklmnopqrstuvwxyz", "BOT_USER_RATE_LIMIT": "x/y"},
         "BOT_USER_RATE_LIMIT"),
        (["telegram", "--port", "99999"], {}, "not a port"),
    ]
    for args, env, expected in cases:
        result = run_bot(*args, stdin="", env={"XDG_CACHE_HOME": str(tmp_path), **env}, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert expected in result.stderr and "Traceback" not in result.stderr


def test_unwritable_index_dir_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_bot("index", "--index-dir", str(blocker), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert "cannot write the index" in result.stderr and "Traceback" not in result.stderr


def test_a_reader_that_leaves_early_is_not_an_error():
    """`python -m bot ask ... | head -c 1`: the pipe closes before the answer is written."""
    env = {**os.environ, "XDG_CACHE_HOME": str(Path(tempfile.gettempdir()) / "citebot-test-cache")}
    process = subprocess.Popen([sys.executable, "-m", "bot", "ask", "--json", "When did Khuong Sreng visit Hanoi?"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    process.stdout.close()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0 and b"error" not in err, err


def test_a_damaged_dictionary_cache_is_made_again(tmp_path):
    """The dictionary lives in an SQLite file in the cache folder; scribbled over, it is rebuilt."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    question = "Ai là Chủ tịch UBND thành phố Hà Nội?"  # Vietnamese, answered from the English article
    first = run_bot("ask", "--json", "--index-dir", str(tmp_path / "ix"), question, env=env)
    [cache] = (tmp_path / "cache" / "citebot").glob("dictionary-*.sqlite")
    cache.write_bytes(b"\0scribbled" * 1000)
    again = run_bot("ask", "--json", "--index-dir", str(tmp_path / "ix"), question, env=env)
    assert again.returncode == first.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_console_json_gives_one_json_line_per_input_line(tmp_path):
    lines = ["When did Khuong Sreng visit Hanoi?", "/more", "/lang xx", "/99999", "   ", "", "/XYZ", "/lang vi",
             "Ai hội đàm với Khuong Sreng?", "/quit", "never read"]
    result = run_bot("console", "--json", stdin="\n".join(lines) + "\n", env={"XDG_CACHE_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [reply.get("command") for reply in replies] == [
        None, "/more", "/lang", "/99999", "", "", "/xyz", "/lang", None, "/quit"]
    for reply in replies:
        if "command" in reply:
            assert set(reply) == {"command", "text"}
        else:
            assert {"language", "answered", "answer", "citations", "text"} <= set(reply) and reply["answered"]
    assert replies[1]["text"].count("¶") == len(replies[0]["citations"]) >= 1
    assert "/lang vi" in replies[2]["text"]
    assert "Please ask" in replies[4]["text"] and replies[4]["text"] == replies[5]["text"]
    assert replies[8]["language"] == "vi"
