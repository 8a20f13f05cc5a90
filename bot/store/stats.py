"""Usage numbers for /stats, counted from the question log and the votes: questions today and over the
last 7 calendar days in the admin's zone, unanswered ones, votes, and the busiest group chats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.store.connection import Connection


@dataclass(frozen=True)
class ChatCount:
    """How many questions one chat asked."""

    chat_id: int | None
    chat_type: str | None
    title: str | None
    questions: int


@dataclass(frozen=True)
class Stats:
    """Usage numbers for /stats. Private chats are only counted: their ids are users' ids, and /stats
    may be shown in a group."""

    today: int
    week: int
    week_no_answer: int
    thumbs_up: int
    thumbs_down: int
    busiest: list[ChatCount]  # groups only
    private_chats: int = 0
    private_questions: int = 0


class UsageStats(Connection):
    """The store's counts for /stats."""

    async def stats(self, now: float, zone: tzinfo, busiest: int = 5) -> Stats:
        """Question counts for today and the last 7 days as calendar days in zone, votes, busiest chats."""
        day_start, week_start = day_starts(now, zone)
        asked = "source != 'recovered'"  # re-created for a button press, not asked again
        async with self._db.execute(
            f"SELECT COUNT(*) FROM questions WHERE asked_at >= ? AND {asked}", (day_start,)
        ) as cur:
            (today,) = await cur.fetchone() or (0,)
        async with self._db.execute(
            f"SELECT COUNT(*), COUNT(*) FILTER (WHERE hit_count = 0) FROM questions WHERE asked_at >= ? AND {asked}",
            (week_start,),
        ) as cur:
            week, no_answer = await cur.fetchone() or (0, 0)
        async with self._db.execute(
            "SELECT COUNT(*) FILTER (WHERE value = 1), COUNT(*) FILTER (WHERE value = -1) FROM feedback"
        ) as cur:
            up, down = await cur.fetchone() or (0, 0)
        async with self._db.execute(
            "SELECT chat_id, MAX(chat_type), MAX(chat_title), COUNT(*) AS n FROM questions"
            f" WHERE asked_at >= ? AND chat_id IS NOT NULL AND COALESCE(chat_type, '') != 'private' AND {asked}"
            " GROUP BY chat_id ORDER BY n DESC, chat_id LIMIT ?",
            (week_start, busiest),
        ) as cur:
            chats = [ChatCount(r[0], r[1], r[2], r[3]) for r in await cur.fetchall()]
        async with self._db.execute(
            f"SELECT COUNT(DISTINCT chat_id), COUNT(*) FROM questions WHERE asked_at >= ? AND chat_type = 'private'"
            f" AND {asked}",
            (week_start,),
        ) as cur:
            private_chats, private_questions = await cur.fetchone() or (0, 0)
        return Stats(today, week, no_answer, up or 0, down or 0, chats, private_chats, private_questions)


def day_starts(now: float, zone: tzinfo, days: int = 7) -> tuple[float, float]:
    """Unix times of the local midnight that began today in zone, and of the one `days - 1` days before
    it (so the second window is `days` calendar days, today included). Stored times stay UTC; only
    these boundaries follow the zone, so they are right across DST changes too.
    """
    today = datetime.fromtimestamp(now, zone).date()
    start = datetime(today.year, today.month, today.day, tzinfo=zone)
    first = today - timedelta(days=days - 1)
    return start.timestamp(), datetime(first.year, first.month, first.day, tzinfo=zone).timestamp()
