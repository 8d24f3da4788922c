"""A per-user sliding-window limit, so one user cannot monopolise the bot in a group."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from typing import Callable


class UserRateLimit:
    def __init__(self, max_questions: int, per_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.max_questions = max_questions
        self.per_seconds = per_seconds
        self.clock = clock
        self._asked: dict[int, deque[float]] = defaultdict(deque)
        self._warned: dict[int, float] = {}

    def allow(self, user_id: int) -> tuple[bool, float]:
        """(allowed, seconds until the next question would be allowed)."""
        if self.max_questions <= 0:
            return True, 0.0
        now = self.clock()
        asked = self._asked[user_id]
        while asked and now - asked[0] >= self.per_seconds:
            asked.popleft()
        if len(asked) < self.max_questions:
            asked.append(now)
            return True, 0.0
        return False, self.per_seconds - (now - asked[0])

    def should_warn(self, user_id: int) -> bool:
        """Warn once per window, then stay quiet rather than add to the flood."""
        now = self.clock()
        if now - self._warned.get(user_id, -1e18) >= self.per_seconds:
            self._warned[user_id] = now
            return True
        return False
