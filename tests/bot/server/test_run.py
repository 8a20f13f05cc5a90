"""`run_bot` as `sondhani run` uses it: exit codes and one clear line for bad tokens and a taken state
directory, a real process stopped by SIGTERM, and webhook mode."""

from __future__ import annotations

import asyncio
import logging
import re
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.server.serve import run_bot
from bot.server.webhook import SECRET_HEADER
from bot.settings import Settings
from retrieval.engine import SearchEngine
from tests.bot.conftest import (
    ADMIN_ID,
    INJURED,
    answer_text,
    bot_process,
    free_port,
    make_settings,
    replies_to,
    start_bot,
    stop,
)
from tests.support.fake_bot_api import FakeBotApi
from tests.support.long_reindex import add_copies, update_under_way


def error_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_missing_token_exits_2_with_one_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(_env_file=None, telegram_bot_token=None, state_dir=tmp_path / "state")  # type: ignore[call-arg]
    assert run_bot(settings) == 2
    (line,) = error_lines(caplog)
    assert "TELEGRAM_BOT_TOKEN" in line.getMessage() and line.exc_info is None
    assert not (tmp_path / "state").exists()  # nothing was opened


async def test_rejected_token_exits_1_with_one_line(
    fake: FakeBotApi, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = settings.model_copy(update={"telegram_bot_token": "999:WRONG"})
    assert await asyncio.to_thread(run_bot, wrong) == 1
    (line,) = error_lines(caplog)
    assert "rejected the bot token" in line.getMessage() and line.exc_info is None
    assert "999:WRONG" not in caplog.text  # the token is never logged


async def test_taken_state_directory_exits_1_with_one_line(
    fake: FakeBotApi, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    engine = await asyncio.to_thread(SearchEngine.open, settings.engine_config())
    try:
        assert await asyncio.to_thread(run_bot, settings) == 1
    finally:
        engine.close()
    (line,) = error_lines(caplog)
    assert "in use by another process" in line.getMessage() and line.exc_info is None


async def test_a_real_process_answers_and_stops_cleanly_on_sigterm(fake: FakeBotApi, settings: Settings) -> None:
    with SearchEngine.open(settings.engine_config()) as engine:
        engine.reindex()
    async with bot_process(fake, settings) as process:
        await fake.wait_for(lambda: any(method == "getUpdates" for method, _ in fake.calls), timeout=60)
        assert "১." in await answer_text(fake, INJURED)
        log = await stop(process, timeout=30)  # as before the helper: 30 s to stop
    assert process.returncode == 0, log
    assert "Search engine loaded in" in log and "Stopped cleanly" in log
    assert "Traceback" not in log
    with SearchEngine.open(settings.engine_config()):  # the state-directory lock was released
        pass


async def test_webhook_mode_receives_updates(fake: FakeBotApi, corpus_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    settings = make_settings(
        fake,
        corpus_dir,
        tmp_path / "state",
        webhook_url=f"http://127.0.0.1:{port}/sondhani-hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret="s3cret-token",
    )
    async with start_bot(fake, settings):
        user = fake.make_user(8080)
        question = fake.send_message(fake.private_chat(user), user, INJURED)
        (answer, *_) = await fake.wait_for_sent(lambda m: replies_to(m, question))
        assert "১." in answer["text"]
        set_webhook = [p for m, p in fake.calls if m == "setWebhook"]
        assert set_webhook and set_webhook[-1]["secret_token"] == "s3cret-token"
        assert not [m for m, _ in fake.calls if m == "getUpdates"]


async def test_webhook_without_a_configured_secret_refuses_forged_updates(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The default (no SONDHANI_WEBHOOK_SECRET) once let anyone post updates as an admin."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/sondhani-hook"
    settings = make_settings(
        fake,
        corpus_dir,
        tmp_path / "state",
        webhook_url=url,
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret=None,
    )
    mallory = fake.make_user(66666)
    attacker_chat = fake.private_chat(mallory)
    attacker = attacker_chat["id"]
    forged = {  # /stats in the attacker's chat, claiming to come from an admin
        "update_id": 999001,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "text": "/stats",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            "chat": attacker_chat,
            "from": {"id": ADMIN_ID, "is_bot": False, "first_name": "Admin"},
        },
    }
    async with start_bot(fake, settings), aiohttp.ClientSession() as session:
        (registered,) = [p for m, p in fake.calls if m == "setWebhook"]
        secret = registered["secret_token"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret)
        fake.send_message(attacker_chat, mallory, "/start")  # a chat the bot may write to
        await fake.wait_for_sent(lambda m: m["chat"]["id"] == attacker)
        sent_before = len(fake.sent)
        caplog.clear()
        for headers in ({}, {SECRET_HEADER: "guessed"}, {SECRET_HEADER: secret[:-1]}):
            async with session.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
        refusals = [r for r in caplog.records if r.levelno == logging.WARNING and "Refused" in r.getMessage()]
        assert len(refusals) == 3 and secret not in caplog.text
        await asyncio.sleep(0.5)
        assert len(fake.sent) == sent_before  # nothing was answered, to anyone
        # Telegram itself (the fake, which sends the registered secret) is answered.
        user = fake.make_user(8081)
        question = fake.send_message(fake.private_chat(user), user, INJURED)
        (answer, *_) = await fake.wait_for_sent(lambda m: replies_to(m, question))
        assert "১." in answer["text"]
        async with session.post(url, json=forged, headers={SECRET_HEADER: secret}) as response:
            assert response.status == 200
        await fake.wait_for(lambda: len(fake.messages_to(attacker)) == 2)  # the secret is all that was missing


async def test_a_taken_webhook_port_exits_1_with_one_line(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = make_settings(
            fake,
            corpus_dir,
            tmp_path / "state",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            webhook_listen="127.0.0.1",
            webhook_port=port,
        )
        assert await asyncio.to_thread(run_bot, settings) == 1
    errors = error_lines(caplog)
    assert len(errors) == 1 and f"127.0.0.1:{port}" in errors[0].getMessage() and not errors[0].exc_info


def _webhook_settings(fake: FakeBotApi, corpus_dir: Path, state_dir: Path, port: int) -> Settings:
    return make_settings(
        fake,
        corpus_dir,
        state_dir,
        webhook_url=f"http://127.0.0.1:{port}/sondhani-hook",
        webhook_listen="127.0.0.1",
        webhook_port=port,
        webhook_secret="s3cret-token",
    )


async def test_healthz_is_200_with_counts_while_an_index_serves(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    async with start_bot(fake, _webhook_settings(fake, corpus_dir, tmp_path / "state", port)) as bot:
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200 and response.headers["Content-Type"] == "application/json"
            body = await response.json()
        status = bot.engine.status()
        assert body == {"status": "ok", "articles": status.articles, "passages": status.passages, "dense": False}


async def test_healthz_stays_200_with_the_old_counts_while_a_reindex_runs(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    state = tmp_path / "state"
    async with start_bot(fake, _webhook_settings(fake, corpus_dir, state, port)) as bot:
        before = bot.engine.status()
        add_copies(corpus_dir, 400)
        rebuild = asyncio.create_task(asyncio.to_thread(bot.engine.reindex, rebuild=True))
        replies, during = [], 0
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
            while not rebuild.done():
                under_way = update_under_way(state)
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    replies.append((response.status, (await response.json())["articles"]))
                during += under_way and not rebuild.done()
                await asyncio.sleep(0.02)
            report = await rebuild
            async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                after = (response.status, (await response.json())["articles"])
    assert during >= 3, "the re-index ended before /healthz was asked during it"
    assert {status for status, _ in replies} == {200}
    assert {articles for _, articles in replies} <= {before.articles, report.articles}
    assert after == (200, before.articles + 400)


async def test_healthz_is_503_without_an_index(fake: FakeBotApi, corpus_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    async with start_bot(fake, _webhook_settings(fake, corpus_dir, tmp_path / "state", port), index=False):
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 503
            assert await response.json() == {
                "status": "unavailable",
                "articles": 0,
                "passages": 0,
                "dense": False,
                "reason": "no index",
            }
