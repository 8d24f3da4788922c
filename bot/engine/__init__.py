"""The engine: a question in, a cited `Answer` out.

It owns reading the question (`questions`, `spelling`, `dictionary`), choosing the
sentences that answer or deciding none does (`extract`, `picker/`), the short answer
line (`short/`), small talk (`smalltalk/`) and one chat's memory (`conversation`).
It may import `index/` and the standard and scientific libraries, never the adapters
(`bot.console`, `bot.telegram`, `bot.__main__`) nor what renders its answers.
"""
from .pipeline import Engine

__all__ = ["Engine"]
