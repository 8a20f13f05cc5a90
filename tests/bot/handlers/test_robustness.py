"""Odd input, limits and failures: the bot answers clearly and never crashes."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.bot.conftest import INJURED, WONSAN, RunningBot, make_settings, replies_to, start_bot
from tests.support.fake_bot_api import FakeBotApi

Json = dict[str, Any]


async def settle(bot: RunningBot, seconds: float = 0.5) -> None:
    """Wait until the bot has fetched every queued update, then a little longer for its replies."""
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates())
    await asyncio.sleep(seconds)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   ", "ফাঁকা"),
        ("ক" * 1001, "অনেক লম্বা"),
        ("😀🙏👍", "কোনো শব্দ"),
        ("?!…", "কোনো শব্দ"),
    ],
)
async def test_unusable_text_gets_a_clear_reply(bot: RunningBot, text: str, expected: str) -> None:
    reply = await bot.say(text)
    assert expected in reply["text"]


async def test_long_question_reply_names_the_limit(bot: RunningBot) -> None:
    reply = await bot.say("ক" * 1001)
    assert "১০০১" in reply["text"] and "১০০০" in reply["text"]


async def test_stickers_photos_and_voice_get_a_clear_reply(bot: RunningBot) -> None:
    user = bot.user()
    chat = bot.fake.private_chat(user)
    for send in (bot.fake.send_sticker, bot.fake.send_photo, bot.fake.send_voice):
        message = send(chat, user)
        reply = await bot.reply_to(message)
        assert "লেখা প্রশ্ন" in reply["text"]


async def test_an_edited_message_is_answered_at_most_once(bot: RunningBot) -> None:
    user = bot.user()
    chat = bot.fake.private_chat(user)
    question = bot.fake.send_message(chat, user, INJURED)
    await bot.reply_to(question)
    bot.fake.edit_message(question, WONSAN)
    bot.fake.edit_message(question, WONSAN + " ")
    await settle(bot)
    assert len([m for m in bot.sent_to(chat["id"]) if replies_to(m, question)]) == 1


async def test_an_edit_that_makes_a_question_usable_is_answered_once(bot: RunningBot) -> None:
    user = bot.user()
    chat = bot.fake.private_chat(user)
    message = bot.fake.send_message(chat, user, "😀")
    await bot.reply_to(message)  # "no words"
    bot.fake.edit_message(message, WONSAN)
    await bot.fake.wait_for_sent(lambda m: replies_to(m, message) and "১." in m["text"])
    bot.fake.edit_message(message, INJURED)
    await settle(bot)
    assert len([m for m in bot.sent_to(chat["id"]) if replies_to(m, message)]) == 2


async def test_per_user_rate_limit_has_a_friendly_message(fake: FakeBotApi, corpus_dir: Path, tmp_path: Path) -> None:
    settings = make_settings(fake, corpus_dir, tmp_path / "state", user_questions_per_minute=3)
    async with start_bot(fake, settings) as bot:
        for _ in range(3):
            assert "১." in (await bot.say(INJURED))["text"]
        limited = await bot.say(INJURED)
        assert "সেকেন্ড পরে" in limited["text"]
        other = bot.user(999)
        assert "১." in (await bot.say(INJURED, user=other))["text"]  # others are not affected


async def test_a_burst_of_429s_is_retried_and_delivered(bot: RunningBot) -> None:
    bot.fake.fail_next("sendMessage", 3, retry_after=1)
    answer = await bot.say(INJURED, timeout=20)
    assert "১." in answer["text"]
    assert [e for e in bot.fake.errors if e[0] == "sendMessage" and e[1] == 429] != []
    assert len([e for e in bot.fake.errors if e[1] == 429]) == 3


async def test_two_replicas_polling_one_token_is_reported(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="bot")
    bot.fake.conflict = True
    await bot.fake.wait_for(lambda: any("409 Conflict" in r.getMessage() for r in caplog.records), timeout=10)
    record = next(r for r in caplog.records if "409 Conflict" in r.getMessage())
    assert "another process is using this bot token" in record.getMessage()
    assert record.exc_info is None  # one clear line, no traceback
    bot.fake.conflict = False
    assert "১." in (await bot.say(INJURED))["text"]  # and it recovers once the other one stops


async def test_an_unexpected_error_is_logged_and_the_user_told_briefly(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot")
    await bot.store.close()  # the database is gone: every question now fails inside the handler
    reply_seen = bot.fake.wait_for_sent(lambda m: "সমস্যা হয়েছে" in m["text"])
    bot.fake.send_message(bot.fake.private_chat(bot.user()), bot.user(), INJURED)
    (reply,) = await reply_seen
    assert "Traceback" not in reply["text"] and "Error" not in reply["text"]
    assert any(r.exc_info for r in caplog.records if r.name == "bot.handlers.error_reply")


async def test_a_user_who_blocked_the_bot_is_only_a_warning(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot")
    user = bot.user(5555)
    bot.fake.block_bot(user)
    bot.fake.send_message(bot.fake.private_chat(user), user, INJURED)
    await bot.fake.wait_for(lambda: any("blocked" in r.getMessage() for r in caplog.records))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "১." in (await bot.say(WONSAN))["text"]  # the bot carries on
