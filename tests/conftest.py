"""Shared fixtures: the real bundled articles, indexed into a temporary folder."""
from __future__ import annotations

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


def run_bot(*args: str, stdin: str | None = None, env: dict | None = None, cwd: Path | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m bot ...` as a user runs it, with its own cache folder."""
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("XDG_CACHE_HOME", str(Path(tempfile.gettempdir()) / "citebot-test-cache"))
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          text=True, env=full_env, cwd=cwd or ROOT, timeout=timeout)
