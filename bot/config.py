"""Settings from command-line flags, the environment and a `.env` file, with working defaults.

Precedence: flag, then environment (a `.env` file in the working directory fills in
variables that are not already set), then the default. The environment is read here
once, into a frozen `Settings` that `__main__` passes down; nothing else reads it (but
the XDG base directories, in `index.store.cache_dir`).
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from index.articles import DEFAULT_MAX_ARTICLE_BYTES
from index.options import IndexOptions
from index.store import BACKENDS, cache_dir

from .engine.conversation import DEFAULT_CONTEXT_MINUTES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCS = PROJECT_ROOT / "docs_src"
DEFAULT_USER_RATE = "10/60"
USER_ERRORS = 2  # exit status for mistakes a user can fix: a bad setting, a missing folder or token


class ConfigError(Exception):
    """A setting that makes no sense; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    docs_dir: Path = DEFAULT_DOCS
    index_dir: Path | None = None  # None: a per-folder cache in ~/.cache/citebot
    backend: str = "auto"
    index: IndexOptions = IndexOptions()
    context_minutes: float = DEFAULT_CONTEXT_MINUTES
    # The Telegram bot's; the token and the webhook secret never appear in a repr or a log.
    telegram_token: str = field(default="", repr=False)
    telegram_api_base_url: str | None = None
    webhook_secret: str = field(default="", repr=False)
    state_file: Path | None = None  # per-chat settings (/lang); None: not kept
    user_rate: tuple[int, float] = (10, 60.0)  # questions per user per seconds; 0 questions: no limit
    admin_ids: frozenset[int] = frozenset()
    # The multilingual sentence encoder (index/encoder.py), asked for with BOT_ENCODER=on or --encoder. Off
    # by default: its picker answers fewer of the development questions on the bundled articles (README).
    encoder: bool = False
    # A disk index's sentence vectors, made by `python -m bot index` when asked (BOT_VECTORS=on or --vectors): hours
    # of encoding for an archive, so never unasked (index/archive_vectors.py).
    vectors: bool = False

    @classmethod
    def read(cls, args=None, environ: Mapping[str, str] | None = None) -> "Settings":
        """The settings for a command: its flags (`args`, any of them absent) over `environ`."""
        env = os.environ if environ is None else environ
        flag = lambda name: getattr(args, name, None)  # noqa: E731
        minutes = flag("context_minutes")
        state_home = Path(env.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
        state_file = flag("state_file") or env.get("BOT_STATE_FILE") or state_home / "citebot" / "telegram_chats.pickle"
        return cls(
            docs_dir=Path(flag("docs") or env.get("BOT_DOCS_DIR") or DEFAULT_DOCS).expanduser(),
            index_dir=_optional_path(flag("index_dir") or env.get("BOT_INDEX_DIR")),
            backend=_backend(flag("backend") or env.get("BOT_INDEX_BACKEND") or "auto"),
            index=IndexOptions(_megabytes(env), _shards(env), _remotes(env)),
            context_minutes=minutes if minutes is not None else _number(
                env, "BOT_CONTEXT_MINUTES", DEFAULT_CONTEXT_MINUTES, "a number of minutes"),
            telegram_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or None,
            webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", ""),
            state_file=_optional_path(state_file),
            user_rate=_user_rate(env.get("BOT_USER_RATE_LIMIT", DEFAULT_USER_RATE)),
            admin_ids=_admins(env.get("BOT_ADMIN_IDS", "")),
            encoder=bool(flag("encoder")) or _switch(env, "BOT_ENCODER"),
            vectors=bool(flag("vectors")) or _switch(env, "BOT_VECTORS"),
        )


def load_env_file() -> None:
    """python-dotenv is imported only when there is a file to read: it costs a cold `ask` 20 ms."""
    path = Path.cwd() / ".env"
    if path.is_file():
        from dotenv import load_dotenv

        load_dotenv(path, override=False)


def _optional_path(value: str | None) -> Path | None:
    return Path(value).expanduser() if value else None


def _backend(value: str) -> str:
    """Which index serves the articles (--backend, BOT_INDEX_BACKEND): auto picks by the folder's size."""
    if value not in BACKENDS:
        raise ConfigError(f"BOT_INDEX_BACKEND must be one of {', '.join(BACKENDS)}, not {value!r}")
    return value


def _number(env: Mapping[str, str], name: str, default: float, what: str) -> float:
    value = env.get(name, str(default))
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be {what}, not {value!r}") from None


def _switch(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "off").strip().casefold()
    if value not in ("on", "off", "1", "0", "yes", "no", "true", "false"):
        raise ConfigError(f"{name} must be on or off, not {value!r}")
    return value in ("on", "1", "yes", "true")


def _megabytes(env: Mapping[str, str]) -> int:
    """A single article larger than this (BOT_MAX_ARTICLE_MB) is more likely a dump; it is skipped by name."""
    return int(_number(env, "BOT_MAX_ARTICLE_MB", DEFAULT_MAX_ARTICLE_BYTES / 2**20, "a number of megabytes") * 2**20)


def _shards(env: Mapping[str, str]) -> int:
    """How many shards a new Xapian index is split into (BOT_XAPIAN_SHARDS)."""
    value = env.get("BOT_XAPIAN_SHARDS", "2")
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise ConfigError(f"BOT_XAPIAN_SHARDS must be a number of shards from 1 to 64, not {value!r}")
    return int(value)


def _remotes(env: Mapping[str, str]) -> tuple[str, ...]:
    """The xapian-tcpsrv servers of the shards, in shard order (BOT_XAPIAN_REMOTES=host:port,host:port)."""
    value = env.get("BOT_XAPIAN_REMOTES", "").strip()
    remotes = tuple(r.strip() for r in value.split(",") if r.strip())
    for remote in remotes:
        host, _, port = remote.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError(f"BOT_XAPIAN_REMOTES must be host:port,host:port,..., not {value!r}")
    return remotes


def _user_rate(value: str) -> tuple[int, float]:
    """From "6/60" (six questions a minute); "0" turns the limit off."""
    count, _, seconds = value.partition("/")
    try:
        return int(count), float(seconds or 60)
    except ValueError:
        raise ConfigError(f"BOT_USER_RATE_LIMIT must look like 10/60 (questions/seconds), not {value!r}") from None


def _admins(value: str) -> frozenset[int]:
    try:
        return frozenset(int(x) for x in re.split(r"[,\s]+", value.strip()) if x)
    except ValueError:
        raise ConfigError(f"BOT_ADMIN_IDS must be Telegram user ids separated by commas, not {value!r}") from None


__all__ = ["ConfigError", "Settings", "USER_ERRORS", "cache_dir", "load_env_file"]
