"""Settings from command-line flags, the environment and a `.env` file, with working defaults.

Precedence: flag, then environment (a `.env` file in the working directory fills in
variables that are not already set), then the default.
"""
from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DOCS = PROJECT_ROOT / "docs_src"


def load_env_file() -> None:
    load_dotenv(Path.cwd() / ".env", override=False)


def docs_dir(flag: str | None) -> Path:
    return Path(flag or os.environ.get("BOT_DOCS_DIR") or DEFAULT_DOCS).expanduser()


def index_dir(flag: str | None) -> Path | None:
    value = flag or os.environ.get("BOT_INDEX_DIR")
    return Path(value).expanduser() if value else None
