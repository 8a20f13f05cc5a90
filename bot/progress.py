"""Indexing progress shared by the bot's progress message and the command line's: the embedding rate
and the time left. Telegram-free, so `sondhani index` never imports python-telegram-bot."""

from __future__ import annotations


class EmbeddingPace:
    """Passages per second and seconds left, from successive "embedding" reports.

    The first report only sets the starting point: it comes after the first batch, whose time
    includes loading the model, and would make the rate look far lower than it is."""

    def __init__(self) -> None:
        self._start: tuple[float, int] | None = None  # (monotonic time, passages done)
        self._last = (0, 0)  # (done, total) of the latest report
        self.rate: float | None = None  # passages per second, once two reports are in
        self.left: float | None = None  # seconds

    def update(self, done: int, total: int, now: float) -> None:
        """Take one report of `done` of `total` passages embedded at time `now` (seconds)."""
        new_run = self._start is None or total != self._last[1] or done < self._last[0]
        self._last = (done, total)
        if new_run:
            self._start, self.rate, self.left = (now, done), None, None
            return
        assert self._start is not None
        started, done_then = self._start
        if now > started and done > done_then:
            self.rate = (done - done_then) / (now - started)
            self.left = max(total - done, 0) / self.rate
