"""One chat's short memory: the last question's topic, for follow-ups, and the chosen
answer language. Shared by the console and Telegram so both behave alike."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from .answer import Answer, Topic
LANGUAGE_CHOICES = ("vi", "en", "auto")
DEFAULT_CONTEXT_MINUTES = 30.0  # how long a follow-up may refer to the previous question


@dataclass
class Conversation:
    context_seconds: float = DEFAULT_CONTEXT_MINUTES * 60
    language: str = "auto"  # "vi", "en" or "auto" (the question's language)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    topic: Topic | None = None
    topic_at: float = 0.0
    cited: Answer | None = None  # the last answer that cited paragraphs, for /more
    spoken: str | None = None  # the language of the last answer, for replies to commands in "auto"

    def current_topic(self) -> Topic | None:
        if self.topic and self.clock() - self.topic_at <= self.context_seconds:
            return self.topic
        return None

    def ask(self, engine, question: str, fallback_language: str = "en", topic: Topic | None = None) -> Answer:
        """The engine's answer; a follow-up continues `topic` if given (a button under an
        older answer), else the chat's current one."""
        forced = None if self.language == "auto" else self.language
        answer = engine.answer(question, topic=topic or self.current_topic(), language=forced,
                               fallback_language=fallback_language)
        if answer.topic is not None:
            self.topic, self.topic_at = answer.topic, self.clock()
        if answer.citations:
            self.cited = answer
        if question.strip():
            self.spoken = answer.language
        return answer

    def reset(self) -> None:
        self.topic = None
        self.cited = None
