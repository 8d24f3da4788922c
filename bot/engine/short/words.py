"""The word lists of the short answer line (words.json beside this module)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def words() -> dict:
    data = json.loads((Path(__file__).parent / "words.json").read_text("utf-8"))
    for key in ("titles", "openers", "honorifics", "title_connectors", "deputies", "weekdays", "meeting_verbs", "relations", "surnames"):
        data[key] = frozenset(data[key])
    return data
