"""The bot's SQLite store, on real files: schema versions, WAL, questions, votes, audit, stats."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.store import Store
from bot.store.question_log import HitRef, QuestionRecord
from bot.store.schema import MIGRATIONS
from retrieval.records import Hit


def hits(n: int) -> list[Hit]:
    return [
        Hit(i + 1, 1.0 / (i + 1), f"d#{i}", "d", f"অনুচ্ছেদ {i}", f"অনুচ্ছেদ {i}", title="শিরোনাম", published="2024-01-01")
        for i in range(n)
    ]


async def test_new_file_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "state" / "bot.sqlite3")
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        assert await store.journal_mode() == "wal"
    finally:
        await store.close()
    with sqlite3.connect(tmp_path / "state" / "bot.sqlite3") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"questions", "feedback", "audit_log", "answered_messages", "pending_uploads"} <= tables
    assert "result_hits" not in tables  # pages are kept as passage ids, not passage texts


async def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    qid = await store.save_question(QuestionRecord("প্রশ্ন", "private", 1, 1, "private"), hits(5))
    await store.close()
    store = await Store.open(path)
    try:
        stored = await store.question(qid)
        assert stored is not None and stored.hits == [HitRef.of(h) for h in hits(5)]
        assert await store.schema_version() == len(MIGRATIONS)
    finally:
        await store.close()


async def test_claim_message_only_once(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        assert await store.claim_message(10, 1)
        assert not await store.claim_message(10, 1)
        assert await store.claim_message(11, 1)
    finally:
        await store.close()


async def test_ids_are_short_and_unknown_ids_are_none(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        qid = await store.save_question(QuestionRecord("প্রশ্ন", "private"), [])
        assert len(qid) <= 12 and qid.isalnum()
        assert await store.question("nope") is None
        assert not await store.record_feedback("nope", 1, 1)
    finally:
        await store.close()


async def test_stats_and_audit(tmp_path: Path) -> None:
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        now = time.time()
        a = await store.save_question(QuestionRecord("ক", "private", 1, 1, "private"), hits(3))
        await store.save_question(QuestionRecord("খ", "group", 2, -5, "supergroup", "দল"), [])
        await store.save_question(QuestionRecord("গ", "group", 3, -5, "supergroup", "দল"), hits(1))
        await store.record_feedback(a, 1, 1)
        await store.record_feedback(a, 2, -1)
        await store.record_feedback(a, 2, 1)  # changed mind
        stats = await store.stats(now + 1, UTC)
        assert (stats.today, stats.week, stats.week_no_answer) == (3, 3, 1)
        assert (stats.thumbs_up, stats.thumbs_down) == (2, 0)
        assert stats.busiest[0].chat_id == -5 and stats.busiest[0].questions == 2 and stats.busiest[0].title == "দল"
        tomorrow = await store.stats(now + 2 * 86400, UTC)
        assert tomorrow.today == 0 and tomorrow.week == 3
        await store.audit(user_id=9, username="x", chat_id=9, action="/reindex", allowed=False)
        (row,) = await store.audit_log()
        assert (row.user_id, row.action, row.allowed) == (9, "/reindex", False)
    finally:
        await store.close()


def march_2024_utc(day: int, hour: int, minute: int) -> float:
    return datetime(2024, 3, day, hour, minute, tzinfo=UTC).timestamp()


async def test_today_and_week_begin_at_midnight_in_the_given_zone(tmp_path: Path) -> None:
    """Dhaka is UTC+6: its 10 March begins at 18:00 UTC on 9 March, and its 7 days to 10 March at 18:00 UTC
    on 3 March. Questions a minute either side of both boundaries count on the right side in Dhaka; the
    same rows counted by UTC (or Kolkata, UTC+5:30) days come out differently."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        for minute in (
            march_2024_utc(3, 17, 59),  # 23:59 on 3 March in Dhaka: 8 days ago there
            march_2024_utc(3, 18, 1),  # 00:01 on 4 March in Dhaka: the first of the 7 days
            march_2024_utc(9, 17, 59),  # 23:59 on 9 March in Dhaka: yesterday
            march_2024_utc(9, 18, 1),  # 00:01 on 10 March in Dhaka: today
        ):
            await store.save_question(QuestionRecord("প্রশ্ন", "private", 1, 1, "private"), [], asked_at=minute)
        now = march_2024_utc(9, 18, 30)  # 00:30 on 10 March in Dhaka, still 9 March in UTC
        dhaka = await store.stats(now, ZoneInfo("Asia/Dhaka"))
        assert (dhaka.today, dhaka.week) == (1, 3)
        by_utc = await store.stats(now, UTC)
        assert (by_utc.today, by_utc.week) == (2, 4)
        kolkata = await store.stats(now, ZoneInfo("Asia/Kolkata"))  # UTC+5:30: its 10 March begins just now
        assert (kolkata.today, kolkata.week) == (0, 2)
    finally:
        await store.close()


async def test_many_concurrent_writes_and_reads(tmp_path: Path) -> None:
    """Under load (concurrent updates) every write lands and no statement is misused."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:

        async def one(i: int) -> None:
            assert await store.claim_message(1, i)
            qid = await store.save_question(QuestionRecord(f"প্রশ্ন {i}", "private", i, i, "private"), hits(10))
            assert await store.record_feedback(qid, i, 1)
            stored = await store.question(qid)
            assert stored is not None and len(stored.hits) == 10

        await asyncio.gather(*(one(i) for i in range(300)))
        stats = await store.stats(time.time() + 1, UTC)
        assert (stats.week, stats.thumbs_up) == (300, 300)
    finally:
        await store.close()
