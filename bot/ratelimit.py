"""Per-user question limit: a sliding window of the last minute, kept in memory.

Telegram-side flood limits (429, retry_after) are PTB's AIORateLimiter's job; this one only keeps a
single user from flooding the search engine.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class UserRateLimiter:
    """Allow at most `limit` questions per user in any `period` seconds."""

    def __init__(self, limit: int, period: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._period = period
        self._clock = clock
        self._seen: dict[int, deque[float]] = {}

    def check(self, user_id: int) -> float:
        """Count one question; 0.0 when allowed, else the seconds to wait (the question is not counted)."""
        now = self._clock()
        times = self._seen.setdefault(user_id, deque())
        while times and times[0] <= now - self._period:
            times.popleft()
        if len(times) >= self._limit:
            return times[0] + self._period - now
        times.append(now)
        self._forget_idle(now)
        return 0.0

    def _forget_idle(self, now: float) -> None:
        """Drop users with no question in the window, so memory stays bounded."""
        if len(self._seen) > 10_000:
            self._seen = {u: t for u, t in self._seen.items() if t and t[-1] > now - self._period}
