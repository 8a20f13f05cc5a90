"""Fixtures for the bot's end-to-end tests: the fake Bot API server, a real SearchEngine over a copy
of the seed articles (lexical only), a real SQLite store, and the real Application polling the fake."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import AIORateLimiter

from bot.context import BotApplication
from bot.server.application import build_application
from bot.server.running import running
from bot.settings import Settings
from bot.store import DB_NAME, Store
from retrieval.engine import SearchEngine
from tests.support.fake_bot_api import FakeBotApi
from tests.support.paths import REPO as ROOT

ADMIN_ID = 4242
USER_ID = 777
PROGRESS_INTERVAL = 0.2
# Questions the seed corpus answers, and one it does not.
INJURED = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"
WONSAN = "উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?"
UNANSWERABLE = "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?"

Json = dict[str, Any]


@dataclass
class RunningBot:
    """The real Application polling the fake server, with handles on what it uses."""

    fake: FakeBotApi
    app: BotApplication
    engine: SearchEngine
    store: Store
    settings: Settings
    users: dict[int, Json] = field(default_factory=dict)

    def user(self, user_id: int = USER_ID, language_code: str = "bn", **kw: Any) -> Json:
        """A user known to the fake (same dict for the same id)."""
        if user_id not in self.users:
            self.users[user_id] = self.fake.make_user(user_id, language_code=language_code, **kw)
        return self.users[user_id]

    def top_highlight(self, question: str) -> str:
        """The best sentence the engine finds for a question now (what an answer must show in bold)."""
        return self.engine.search(question, 10).hits[0].highlight

    def sent_to(self, chat_id: int) -> list[Json]:
        """Messages the bot sent to a chat, oldest first."""
        return self.fake.messages_to(chat_id)

    async def say(
        self,
        text: str,
        *,
        user: Json | None = None,
        chat: Json | None = None,
        reply_to: Json | None = None,
        timeout: float = 10.0,
    ) -> Json:
        """Send text and return the bot's first message replying to it."""
        user = user or self.user()
        chat = chat or self.fake.private_chat(user)
        message = self.fake.send_message(chat, user, text, reply_to=reply_to)
        return await self.reply_to(message, timeout=timeout)

    async def command(self, text: str, *, user: Json | None = None, chat: Json | None = None) -> Json:
        """Send text and return the bot's next message in that chat, reply or not."""
        user = user or self.user()
        chat = chat or self.fake.private_chat(user)
        before = len(self.sent_to(chat["id"]))
        self.fake.send_message(chat, user, text)
        await self.fake.wait_for(lambda: len(self.sent_to(chat["id"])) > before)
        return self.sent_to(chat["id"])[before]

    async def reply_to(self, message: Json, timeout: float = 10.0) -> Json:
        """The bot's first message that replies to `message`."""
        (reply, *_) = await self.fake.wait_for_sent(lambda m: replies_to(m, message), timeout=timeout)
        return reply


def replies_to(sent: Json, message: Json) -> bool:
    """True when the bot's message `sent` is a reply to `message`."""
    replied = sent.get("reply_to_message")
    return (
        replied is not None
        and replied["message_id"] == message["message_id"]
        and sent["chat"]["id"] == message["chat"]["id"]
    )


def make_settings(fake: FakeBotApi, data_dir: Path, state_dir: Path, **overrides: Any) -> Settings:
    """Settings pointing at the fake server, lexical search only."""
    values: dict[str, Any] = dict(
        telegram_bot_token=fake.token,
        telegram_api_url=fake.root_url,
        data_dir=data_dir,
        state_dir=state_dir,
        dense="off",
        admin_ids=frozenset({ADMIN_ID}),
        webhook_url=None,
        chroma_url=None,
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def free_port() -> int:
    """A TCP port nothing listens on now (for a webhook server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fast_rate_limiter() -> AIORateLimiter:
    """PTB's limiter with retries, but no group or overall throttling (tests would crawl)."""
    return AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=5)


@contextlib.asynccontextmanager
async def start_bot(fake: FakeBotApi, settings: Settings, *, index: bool = True) -> AsyncIterator[RunningBot]:
    """Open the engine (indexing the corpus) and the store, run the Application, close all on exit."""
    engine = await asyncio.to_thread(SearchEngine.open, settings.engine_config())
    try:
        if index:
            await asyncio.to_thread(engine.reindex)
        store = await Store.open(settings.state_dir / DB_NAME, settings.history_days)
        try:
            app = build_application(
                settings, engine, store, rate_limiter=fast_rate_limiter(), progress_interval=PROGRESS_INTERVAL
            )
            async with running(app, poll_timeout=1.0):
                yield RunningBot(fake, app, engine, store, settings)
        finally:
            with contextlib.suppress(ValueError):  # a test may have closed it on purpose
                await store.close()
    finally:
        await asyncio.to_thread(engine.close)


RUN_BOT = (
    "import logging, sys; logging.basicConfig(level=logging.INFO, stream=sys.stderr);"
    "from bot.server.serve import run_bot; from bot.settings import Settings;"
    "sys.exit(run_bot(Settings(_env_file=None)))"
)


async def start_process(fake: FakeBotApi, settings: Settings, **extra: str) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "SONDHANI_TELEGRAM_API_URL": fake.root_url,
        "SONDHANI_DATA_DIR": str(settings.data_dir),
        "SONDHANI_STATE_DIR": str(settings.state_dir),
        "SONDHANI_DENSE": "off",
        "SONDHANI_ADMIN_IDS": str(ADMIN_ID),
        "SONDHANI_WEBHOOK_URL": "",
        "SONDHANI_CHROMA_URL": "",
        **extra,
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-c", RUN_BOT, cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )


async def answer_text(fake: FakeBotApi, question: str, user_id: int = 4321) -> str:
    """What the bot replies to `question` asked in a private chat (a bot running in another process)."""
    user = fake.make_user(user_id)
    asked = fake.send_message(fake.private_chat(user), user, question)
    (answer, *_) = await fake.wait_for_sent(lambda m: replies_to(m, asked), timeout=30)
    return str(answer["text"])


@contextlib.asynccontextmanager
async def bot_process(fake: FakeBotApi, settings: Settings, **extra: str) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot as a real process for the block; killed at the end if a test left it running."""
    process = await start_process(fake, settings, **extra)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop(process: asyncio.subprocess.Process, timeout: float = 60) -> str:
    """SIGTERM, then the process's log (it must exit within `timeout` seconds)."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=timeout)
    return stderr.decode()


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    """The fake Bot API server on 127.0.0.1."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def settings(fake: FakeBotApi, corpus_dir: Path, tmp_path: Path) -> Settings:
    """Settings for one test: fake server, copied corpus, fresh state directory."""
    return make_settings(fake, corpus_dir, tmp_path / "state")


@pytest.fixture
async def bot(fake: FakeBotApi, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot, running and indexed."""
    async with start_bot(fake, settings) as running_bot:
        yield running_bot


@pytest.fixture
def bold_texts() -> Callable[[Json], list[str]]:
    """The bold runs of a sent message, as Telegram parsed them."""

    def runs(message: Json) -> list[str]:
        text = message["text"].encode("utf-16-le")
        return [
            text[e["offset"] * 2 : (e["offset"] + e["length"]) * 2].decode("utf-16-le")
            for e in message.get("entities", [])
            if e["type"] == "bold"
        ]

    return runs
