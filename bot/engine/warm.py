"""What a long-running bot gets ready before its first question.

The engine loads its tables and compiles its patterns on first use, so that a one-shot
`ask` pays only for those its question needs. A console or a Telegram bot answers many:
its first question would pay for the rest (about 20 ms of CPU: at 100k paragraphs a first
answer of 24-37 ms became 13-27), and each first question of another kind for its own.
Reading the dictionary whole (60 ms) spares every new question its lookups in SQLite.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

from .dictionary import dictionary


def warm() -> None:
    """Every table and pattern the engine builds on first use (the cached functions of no argument
    its modules define), and the dictionary's rows, which a new question would look up one by one."""
    engine = importlib.import_module(__package__)
    for found in pkgutil.walk_packages(engine.__path__, f"{__package__}."):
        module = importlib.import_module(found.name)
        for value in vars(module).values():
            if (hasattr(value, "cache_info") and getattr(value, "__module__", None) == module.__name__
                    and not inspect.signature(value).parameters):
                value()
    dictionary().read_whole()
