"""Shared fixtures: the real bundled articles, indexed into a temporary folder."""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs_src"
NEWS_DATA = ROOT / "training" / "data" / "news"  # fictional articles and questions with known answers
FIXTURE_ARTICLES = NEWS_DATA / "fixture-articles"
VI_DOC = "000_9ba7ec88abe9756b"
EN_DOC = "001_01e138d33b8f835b"


@pytest.fixture(scope="session")
def engine(tmp_path_factory):
    from bot.engine import Engine

    return Engine.from_folder(DOCS, tmp_path_factory.mktemp("index"))


def engine_of(tmp_path_factory, articles: dict[str, str]):
    """An engine over a folder of the given articles (name -> text), indexed into a temporary folder."""
    from bot.engine import Engine

    docs = tmp_path_factory.mktemp("docs")
    for name, text in articles.items():
        (docs / f"{name}.txt").write_text(text, "utf-8")
    return Engine.from_folder(docs, tmp_path_factory.mktemp("index"))


@pytest.fixture
def docs_copy(tmp_path) -> Path:
    """A writable copy of the bundled articles."""
    target = tmp_path / "docs"
    shutil.copytree(DOCS, target)
    return target


def free_port() -> int:
    """A port nothing listens on now, for a server a test starts on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@functools.cache
def _tables() -> tuple[Path, ...]:
    """The tables a bot makes in a new cache folder (the dictionary's SQLite file, the glossary's
    keys), made once per test process: named by their sources' hash, they are what a bot would
    make there, and making them again cost each `run_bot` with a cache folder of its own a second
    or two. Tests that start a bot otherwise (the Telegram ones) still make them in a fresh folder."""
    seed = Path(tempfile.mkdtemp(prefix="citebot-tables-"))
    atexit.register(shutil.rmtree, seed, True)
    for question in ("When did Khuong Sreng visit Hanoi?", "Ai hội đàm với Khuong Sreng?"):
        subprocess.run([sys.executable, "-m", "bot", "ask", "--index-dir", str(seed / "index"), question],
                       capture_output=True, env={**os.environ, "XDG_CACHE_HOME": str(seed)}, cwd=ROOT, timeout=120)
    return tuple(sorted(path for path in (seed / "citebot").glob("*") if path.is_file()))


def _seed_tables(cache_home: Path) -> None:
    """Copies (a test may scribble over its own) of the tables into a cache folder that lacks them;
    nothing where the folder cannot be written, as a test that makes it so expects."""
    folder = cache_home / "citebot"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in _tables():
            if not (folder / table.name).exists():
                shutil.copyfile(table, folder / table.name)
    except OSError:
        pass


def run_bot(*args: str, stdin: str | None = None, env: dict | None = None, cwd: Path | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m bot ...` as a user runs it, with its own cache folder."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("XDG_CACHE_HOME", str(Path(tempfile.gettempdir()) / "citebot-test-cache"))
    _seed_tables(Path(full_env["XDG_CACHE_HOME"]))
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)
