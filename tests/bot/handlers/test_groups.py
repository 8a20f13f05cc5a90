"""Groups with privacy mode: /ask, /ask@bot, follow-up replies, mentions; chatter is ignored."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.bot.conftest import INJURED, WONSAN, RunningBot, replies_to

Json = dict[str, Any]


def group(bot: RunningBot) -> Json:
    return bot.fake.group_chat(-100555, "সংবাদ আড্ডা")


async def test_ask_answers_replying_to_the_asker(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2001)
    question = bot.fake.send_message(chat, asker, f"/ask {INJURED}")
    answer = await bot.reply_to(question)
    assert answer["reply_to_message"]["from"]["id"] == asker["id"]
    assert "১." in answer["text"] and answer["chat"]["id"] == chat["id"]
    assert any(b["callback_data"].startswith("p:") for row in answer["reply_markup"]["inline_keyboard"] for b in row)


async def test_ask_with_the_bots_username(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2002)
    answer = await bot.say(f"/ask@sondhani_test_bot {WONSAN}", user=asker, chat=chat)
    assert bot.top_highlight(WONSAN) in answer["text"]


async def test_ask_for_another_bot_is_ignored(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2003)
    bot.fake.privacy_mode = False  # so the update reaches us at all
    bot.fake.send_message(chat, asker, f"/ask@some_other_bot {WONSAN}")
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates())
    await asyncio.sleep(0.5)
    assert bot.sent_to(chat["id"]) == []


async def test_ask_without_a_question_gets_usage(bot: RunningBot) -> None:
    reply = await bot.say("/ask", user=bot.user(2004), chat=group(bot))
    assert "/ask" in reply["text"] and "যেমন" in reply["text"]


async def test_a_reply_to_the_bot_is_a_follow_up_question(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2005)
    first = await bot.say(f"/ask {INJURED}", user=asker, chat=chat)
    follow_up = bot.fake.send_message(chat, asker, WONSAN, reply_to=first)
    answer = await bot.reply_to(follow_up)
    assert bot.top_highlight(WONSAN) in answer["text"]


async def test_chatter_is_never_answered(bot: RunningBot) -> None:
    chat, member = group(bot), bot.user(2006)
    bot.fake.privacy_mode = False  # even when the bot sees every message
    other = bot.user(2007)
    said = bot.fake.send_message(chat, member, INJURED)
    bot.fake.send_message(chat, other, "আজ আবহাওয়া ভালো", reply_to=said)  # a reply, but not to the bot
    bot.fake.send_message(chat, other, "😀")
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates())
    await asyncio.sleep(0.5)
    assert bot.sent_to(chat["id"]) == []


async def test_a_mention_is_answered_when_it_arrives(bot: RunningBot) -> None:
    bot.fake.privacy_mode = False  # privacy mode on: plain mentions never reach the bot
    chat, asker = group(bot), bot.user(2008)
    answer = await bot.say(f"@sondhani_test_bot {WONSAN}", user=asker, chat=chat)
    assert bot.top_highlight(WONSAN) in answer["text"]
    assert answer["reply_to_message"]["from"]["id"] == asker["id"]


async def test_a_mention_is_not_delivered_in_privacy_mode(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2009)
    bot.fake.send_message(chat, asker, f"@sondhani_test_bot {WONSAN}")
    await asyncio.sleep(0.5)
    assert bot.sent_to(chat["id"]) == []


async def test_group_reply_of_only_an_emoji_is_left_alone(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2010)
    first = await bot.say(f"/ask {INJURED}", user=asker, chat=chat)
    thanks = bot.fake.send_message(chat, asker, "👍", reply_to=first)
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates())
    await asyncio.sleep(0.5)
    assert not [m for m in bot.sent_to(chat["id"]) if replies_to(m, thanks)]


async def test_answer_is_sent_even_if_the_question_was_deleted(bot: RunningBot) -> None:
    chat, asker = group(bot), bot.user(2011)
    gone = {
        "message_id": 99999,
        "from": asker,
        "chat": chat,
        "date": 1,
        "text": f"/ask {INJURED}",
        "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
    }
    bot.fake.queue_raw_update({"message": gone})  # the fake never stored it: as if deleted meanwhile
    (answer,) = await bot.fake.wait_for_sent(lambda m: m["chat"]["id"] == chat["id"])
    assert "১." in answer["text"] and "reply_to_message" not in answer
