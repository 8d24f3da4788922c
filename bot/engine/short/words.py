"""The word lists of the short answer line (words.json beside this module)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def words() -> dict:
    data = json.loads((Path(__file__).parent / "words.json").read_text("utf-8"))
    data["titles"] = frozenset(data["titles"])
    data["openers"] = frozenset(data["openers"])
    return data
