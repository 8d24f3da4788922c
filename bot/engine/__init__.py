"""The engine: a question in, a cited `Answer` out.

It owns reading the question (`questions`, `spelling`, `dictionary`), choosing the
sentences that answer or deciding none does (`extract`, `picker/`), the short answer
line (`short/`), small talk (`smalltalk/`) and one chat's memory (`conversation`).
It may import `index/` and the standard and scientific libraries, never the adapters
(`bot.console`, `bot.telegram`, `bot.__main__`) nor what renders its answers.

`AnswerEngine` is what the adapters may use of it: `Engine`, and `bot.live.LiveEngine`
which reloads one when the articles change, both offer it.
"""
from __future__ import annotations

from typing import Protocol

from index.pipeline import ArticleInfo

from .answer import Answer, IndexStats, Topic
from .pipeline import Engine


class AnswerEngine(Protocol):
    @property
    def articles(self) -> list[ArticleInfo]: ...

    def stats(self) -> IndexStats: ...

    def refresh(self) -> None:
        """The articles folder was changed on purpose (an admin added or removed one): take it in
        before the next answer, whatever the pacing of automatic reloads."""

    def answer(self, question: str, topic: Topic | None = None, language: str | None = None,
               fallback_language: str = "en") -> Answer: ...


__all__ = ["AnswerEngine", "Engine", "IndexStats"]
