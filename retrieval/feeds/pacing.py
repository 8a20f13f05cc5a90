"""Politeness towards news sites during a feed poll: a page budget per host, and a pause between two pages
from the same host.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlsplit


class HostPacer:
    """At most `budget` pages per host per poll, `delay` seconds apart on the same host."""

    def __init__(self, budget: int, delay: float, sleep: Callable[[float], None]) -> None:
        self._budget, self._delay, self._sleep = budget, delay, sleep
        self._used: dict[str, int] = {}
        self._last: dict[str, float] = {}

    def take(self, url: str) -> bool:
        """False when the host's budget is spent; otherwise wait for its turn and count the page."""
        host = (urlsplit(url).hostname or "").lower()
        if self._used.get(host, 0) >= self._budget:
            return False
        if host in self._last:
            wait = self._last[host] + self._delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._used[host] = self._used.get(host, 0) + 1
        self._last[host] = time.monotonic()
        return True
