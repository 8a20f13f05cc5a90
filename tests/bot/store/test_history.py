"""The bot's database stays small and bounded: a page is stored as passage ids, old rows are pruned,
and a forged button costs one lookup and an alert, never a search or a row. Real SQLite files, the
real Application over HTTP to the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from bot.store import DB_NAME, Store
from bot.store.question_log import QuestionRecord
from bot.store.schema import MIGRATIONS
from tests.bot.conftest import INJURED, WONSAN, RunningBot, make_settings, start_bot
from tests.support.fake_bot_api import FakeBotApi

Json = dict[str, Any]


def data_starting(message: Json, prefix: str) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    return str(next(b["callback_data"] for row in rows for b in row if b["callback_data"].startswith(prefix)))


def row_bytes(path: Path) -> int:
    """Bytes of every stored question row (all columns), read with a separate connection."""
    with sqlite3.connect(path) as db:
        columns = [r[1] for r in db.execute("PRAGMA table_info(questions)")]
        total = " + ".join(f"COALESCE(LENGTH(CAST({c} AS BLOB)), 0)" for c in columns)
        (size,) = db.execute(f"SELECT COALESCE(SUM({total}), 0) FROM questions").fetchone()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "result_hits" in tables:  # the layout before passage ids
            (hits,) = db.execute("SELECT COALESCE(SUM(LENGTH(CAST(hit AS BLOB))), 0) FROM result_hits").fetchone()
            size += hits
    return int(size)


async def test_an_answer_stores_passage_ids_not_passage_texts(bot: RunningBot) -> None:
    db = bot.settings.state_dir / DB_NAME
    answer = await bot.say(INJURED)
    hits = bot.engine.search(INJURED, 10).hits
    shown = sum(len(h.text.encode()) for h in hits)
    stored = row_bytes(db)
    assert shown > 3000 and stored < 1000, (shown, stored)  # was more than the passages themselves
    assert data_starting(answer, "p:")  # and the page still works:
    bot.fake.press_button(answer, data_starting(answer, "p:"), bot.user())
    await bot.fake.wait_for(lambda: any(e["message_id"] == answer["message_id"] for e in bot.fake.edits))
    edited = [e for e in bot.fake.edits if e["message_id"] == answer["message_id"]][-1]
    assert re.search(r"^৪\. ", edited["text"], re.M)
    assert hits[3].highlight in edited["text"]


async def test_a_page_after_a_reindex_is_searched_again(bot: RunningBot) -> None:
    answer = await bot.say(INJURED)
    qid = data_starting(answer, "p:").split(":")[1]
    old = bot.engine.status().generation
    (bot.settings.data_dir / "extra.md").write_text("---\ntitle: নতুন\n---\nনদীর পানি বেড়েছে।\n", encoding="utf-8")
    await asyncio.to_thread(bot.engine.reindex)
    new = bot.engine.status().generation
    assert new != old
    bot.fake.press_button(answer, data_starting(answer, "p:"), bot.user())
    await bot.fake.wait_for(lambda: any(e["message_id"] == answer["message_id"] for e in bot.fake.edits))
    edited = [e for e in bot.fake.edits if e["message_id"] == answer["message_id"]][-1]
    assert re.search(r"^৪\. ", edited["text"], re.M)
    stored = await bot.store.question(qid)
    assert stored is not None and stored.generation == new and stored.hits


async def test_forged_buttons_cost_no_search_and_no_row(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    user = bot.user(41001, language_code="en")
    answer = await bot.say(WONSAN, user=user)
    db = bot.settings.state_dir / DB_NAME
    with sqlite3.connect(db) as conn:
        (before,) = conn.execute("SELECT COUNT(*) FROM questions").fetchone()
    size = row_bytes(db)
    caplog.set_level(logging.INFO, logger="bot.handlers.buttons")
    forged = [f"f:madeup{i:04d}:u" for i in range(30)] + [f"p:AbCdEfGh{i:08d}:1" for i in range(30)]
    queries = [bot.fake.press_button(answer, data, user, require_button=False) for data in forged]
    await bot.fake.wait_for(lambda: all(q in bot.fake.callback_answers for q in queries), timeout=30)
    replies = [bot.fake.callback_answers[q] for q in queries]
    assert all(r.get("show_alert") and len(r["text"]) <= 200 for r in replies)
    assert sum("a lot of questions" in r["text"] for r in replies) >= 40  # presses count against the limit
    with sqlite3.connect(db) as conn:
        (after,) = conn.execute("SELECT COUNT(*) FROM questions").fetchone()
    assert after == before and row_bytes(db) == size
    assert "Recovered answer" not in caplog.text  # no search was run for a made-up id


async def test_button_presses_count_against_the_question_limit(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    settings = make_settings(fake, corpus_dir, tmp_path / "state", user_questions_per_minute=3)
    async with start_bot(fake, settings) as bot:
        user = bot.user(41002, language_code="en")
        answer = await bot.say(INJURED, user=user)  # one of three
        page = data_starting(answer, "p:")
        presses = [fake.press_button(answer, page, user) for _ in range(3)]
        await fake.wait_for(lambda: all(q in fake.callback_answers for q in presses))
        limited = [q for q in presses if "a lot of questions" in fake.callback_answers[q].get("text", "")]
        assert len(limited) == 1


async def test_old_questions_and_their_votes_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    store = await Store.open(path, history_days=30)
    try:
        now = time.time()
        old = await store.save_question(QuestionRecord("পুরোনো", "private", 1, 1), [], asked_at=now - 31 * 86400)
        new = await store.save_question(QuestionRecord("নতুন", "private", 1, 1), [], asked_at=now - 29 * 86400)
        await store.record_feedback(old, 1, 1)
        await store.audit(user_id=1, username=None, chat_id=1, action="/stats", allowed=False)
        assert await store.prune(now) == 1
        assert await store.question(old) is None and await store.question(new) is not None
        assert (await store.stats(now, UTC)).thumbs_up == 0  # its vote went with it
        assert await store.audit_log()  # recent audit rows stay
        assert await store.prune(now + 31 * 86400) == 1 and not await store.audit_log()
    finally:
        await store.close()


async def test_start_up_prunes_by_the_configured_retention(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    store = await Store.open(path, history_days=30)
    qid = await store.save_question(QuestionRecord("ক", "private"), [], asked_at=time.time() - 8 * 86400)
    await store.close()
    store = await Store.open(path, history_days=7)
    try:
        assert await store.question(qid) is None
    finally:
        await store.close()


async def test_a_version_1_file_is_migrated_and_shrinks(tmp_path: Path) -> None:
    """The old layout kept every hit's passage text; migrating drops it, keeps the questions (their
    buttons search again), and gives the space back."""
    path = tmp_path / DB_NAME
    with sqlite3.connect(path) as db:
        db.executescript(f"BEGIN;\n{MIGRATIONS[0]}\nPRAGMA user_version = 1;\nCOMMIT;")
        for n in range(200):
            db.execute(
                "INSERT INTO questions (qid, asked_at, source, question, hit_count) VALUES (?, ?, 'private', ?, 10)",
                (f"q{n}", time.time(), f"প্রশ্ন {n}"),
            )
            db.executemany(
                "INSERT INTO result_hits (qid, position, hit) VALUES (?, ?, ?)",
                [(f"q{n}", i, '{"text": "' + "অ" * 4000 + '"}') for i in range(10)],
            )
    before = path.stat().st_size
    store = await Store.open(path)
    try:
        assert await store.schema_version() == len(MIGRATIONS)
        stored = await store.question("q7")
        assert stored is not None and stored.question == "প্রশ্ন 7" and stored.hits == [] and stored.generation is None
    finally:
        await store.close()
    assert path.stat().st_size < before / 10
