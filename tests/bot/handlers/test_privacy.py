"""What one chat may learn or trigger about another: /stats without private users' ids, buttons that
act only in the chat of their answer, unknown button data answered, dice ignored."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.bot.conftest import ADMIN_ID, INJURED, WONSAN, RunningBot

Json = dict[str, Any]


def data_starting(message: Json, prefix: str) -> str:
    """The callback_data of the message's first button that starts with prefix."""
    rows = message["reply_markup"]["inline_keyboard"]
    return str(next(b["callback_data"] for row in rows for b in row if b["callback_data"].startswith(prefix)))


async def settle(bot: RunningBot, seconds: float = 0.5) -> None:
    """Every queued update fetched, and a little time for replies."""
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates())
    await asyncio.sleep(seconds)


async def test_stats_in_a_group_names_groups_and_counts_private_chats(bot: RunningBot) -> None:
    for user_id in (31001, 31002):
        await bot.say(INJURED, user=bot.user(user_id))
    await bot.say(WONSAN, user=bot.user(31001))
    group = bot.fake.group_chat(-100888, "খবরের আড্ডা")
    await bot.say(f"/ask {INJURED}", user=bot.user(31003), chat=group)
    text = (await bot.command("/stats", user=bot.user(ADMIN_ID, first_name="Admin"), chat=group))["text"]
    for secret in ("31001", "31002", "31003", "-100888", "৩১০০১", "৩১০০২"):
        assert secret not in text
    assert "• খবরের আড্ডা: ১" in text
    assert "• ব্যক্তিগত চ্যাট (২টি): ৩" in text


async def test_buttons_of_an_answer_do_nothing_in_another_chat(bot: RunningBot) -> None:
    """A crafted press elsewhere must neither show the other chat's results nor record a vote."""
    victim, mallory = bot.user(32001), bot.user(32002, language_code="en")
    answer = await bot.say(INJURED, user=victim)
    page, vote = data_starting(answer, "p:"), data_starting(answer, "f:")
    own = await bot.say(WONSAN, user=mallory)  # a message of the bot in Mallory's chat
    pressed = [bot.fake.press_button(own, data, mallory, require_button=False) for data in (page, vote)]
    await bot.fake.wait_for(lambda: all(q in bot.fake.callback_answers for q in pressed))
    for query in pressed:
        reply = bot.fake.callback_answers[query]
        assert reply.get("show_alert") and "another chat" in reply["text"]
    await settle(bot)
    assert not [e for e in bot.fake.edits if e["chat"]["id"] == mallory["id"]]
    qid = page.split(":")[1]
    stats = await bot.store.stats(0, bot.settings.zone)
    assert stats.thumbs_up == 0 and (await bot.store.question(qid)) is not None


async def test_button_data_no_handler_knows_gets_an_answer(bot: RunningBot) -> None:
    user = bot.user(32003, language_code="en")
    answer = await bot.say(INJURED, user=user)
    query = bot.fake.press_button(answer, "zz:unknown", user, require_button=False)
    await bot.fake.wait_for(lambda: query in bot.fake.callback_answers)
    reply = bot.fake.callback_answers[query]
    assert reply.get("show_alert") and reply["text"]


async def test_a_dice_is_ignored_silently(bot: RunningBot) -> None:
    user = bot.user(32004)
    chat = bot.fake.private_chat(user)
    group = bot.fake.group_chat(-100889, "খেলা")
    for where in (chat, group):
        bot.fake.queue_raw_update(
            {
                "message": {
                    "message_id": 900 + len(bot.fake.sent),
                    "date": 1_700_000_000,
                    "chat": where,
                    "from": user,
                    "dice": {"emoji": "🎲", "value": 4},
                }
            }
        )
    await settle(bot, 1.0)
    assert bot.sent_to(chat["id"]) == [] and bot.sent_to(group["id"]) == []
