"""Settings from command-line flags, the environment and a `.env` file, with working defaults.

Precedence: flag, then environment (a `.env` file in the working directory fills in
variables that are not already set), then the default.
"""
from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

from index.store import BACKENDS, cache_dir

from .engine.conversation import DEFAULT_CONTEXT_MINUTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCS = PROJECT_ROOT / "docs_src"


def load_env_file() -> None:
    load_dotenv(Path.cwd() / ".env", override=False)


def docs_dir(flag: str | None) -> Path:
    return Path(flag or os.environ.get("BOT_DOCS_DIR") or DEFAULT_DOCS).expanduser()


def index_dir(flag: str | None) -> Path | None:
    value = flag or os.environ.get("BOT_INDEX_DIR")
    return Path(value).expanduser() if value else None


def backend(flag: str | None) -> str:
    """Which index serves the articles (--backend, BOT_INDEX_BACKEND): auto picks by the folder's size."""
    value = flag or os.environ.get("BOT_INDEX_BACKEND") or "auto"
    if value not in BACKENDS:
        raise ConfigError(f"BOT_INDEX_BACKEND must be one of {', '.join(BACKENDS)}, not {value!r}")
    return value


USER_ERRORS = 2  # exit status for mistakes a user can fix: a bad setting, a missing folder or token


class ConfigError(Exception):
    """A setting that makes no sense; the message says which and why."""


def context_minutes(flag: float | None) -> float:
    """How long a follow-up may refer to the previous question (--context-minutes, BOT_CONTEXT_MINUTES)."""
    if flag is not None:
        return flag
    value = os.environ.get("BOT_CONTEXT_MINUTES", str(DEFAULT_CONTEXT_MINUTES))
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"BOT_CONTEXT_MINUTES must be a number of minutes, not {value!r}") from None


__all__ = ["ConfigError", "backend", "cache_dir", "context_minutes", "docs_dir", "index_dir", "load_env_file"]
