"""Indexing progress shared by the bot's progress message and the command line's: the embedding rate
and the time left, and the plain progress lines of a command whose stderr is not a terminal.
Telegram-free, so `sondhani index` never imports python-telegram-bot."""

from __future__ import annotations

from collections.abc import Callable


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


PLAIN_INTERVAL = 5.0  # seconds between two progress lines on a stderr that is not a terminal


class PlainProgress:
    """Progress for a stderr that is not a terminal (a log file, journald, CI): one plain line when a
    stage starts or ends, and otherwise at most one every `interval` seconds:
    "embedding: 640/2000 passages, 41.3 passages/s, 00:33 left"."""

    def __init__(self, write: Callable[[str], None], interval: float = PLAIN_INTERVAL) -> None:
        self._write, self._interval = write, interval
        self._last: tuple[str, float] | None = None  # (stage, time) of the last line written
        self.pace = EmbeddingPace()

    def update(self, done: int, total: int, stage: str, now: float) -> None:
        """Take one report; write a line when it is due."""
        if stage == "embedding":
            self.pace.update(done, total, now)
        new_stage = self._last is None or self._last[0] != stage
        if not (new_stage or done >= total or now - (self._last[1] if self._last else now) >= self._interval):
            return
        self._last = (stage, now)
        line = f"{stage}: {done}/{total} passages"
        if stage == "embedding" and self.pace.rate is not None and self.pace.left is not None:
            line += f", {self.pace.rate:.1f} passages/s, {clock(self.pace.left)} left"
        self._write(line)


def clock(seconds: float) -> str:
    """A duration as tqdm shows it: "05:07", "1:02:03"."""
    whole = max(int(round(seconds)), 0)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60:02d}:{rest % 60:02d}"
