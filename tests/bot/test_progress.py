"""Progress lines for a stderr that is not a terminal: when they are written and what they say."""

from __future__ import annotations

from bot.progress import PlainProgress, clock


def test_plain_progress_writes_stage_changes_ends_and_every_interval() -> None:
    lines: list[str] = []
    progress = PlainProgress(lines.append, interval=5.0)
    progress.update(10, 100, "chunking", now=0.0)  # a new stage: written
    progress.update(50, 100, "chunking", now=1.0)  # too soon: not written
    progress.update(100, 100, "chunking", now=2.0)  # the stage is done: written
    progress.update(0, 400, "embedding", now=2.0)
    progress.update(100, 400, "embedding", now=3.0)  # too soon
    progress.update(300, 400, "embedding", now=8.0)  # five seconds on
    progress.update(400, 400, "saving", now=9.0)
    assert lines == [
        "chunking: 10/100 passages",
        "chunking: 100/100 passages",
        "embedding: 0/400 passages",
        "embedding: 300/400 passages, 50.0 passages/s, 00:02 left",
        "saving: 400/400 passages",
    ]


def test_clock_reads_like_tqdm() -> None:
    assert (clock(0), clock(307), clock(3723)) == ("00:00", "05:07", "1:02:03")
