"""Inline mode: up to 10 article results, a hint for empty or short queries, chosen results logged."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from bot.render import headline, shorten
from tests.bot.conftest import INJURED, RunningBot
from tests.support.fake_bot_api import parse_html

Json = dict[str, Any]


async def answered(bot: RunningBot, query_id: str) -> Json:
    await bot.fake.wait_for(lambda: query_id in bot.fake.inline_answers)
    return bot.fake.inline_answers[query_id]


async def test_inline_query_returns_article_results(bot: RunningBot) -> None:
    started = time.monotonic()
    answer = await answered(bot, bot.fake.inline_query(bot.user(), INJURED))
    assert time.monotonic() - started < 3
    results = answer["results"]
    assert 1 <= len(results) <= 10
    assert int(answer.get("cache_time", 300)) <= 30
    hit = bot.engine.search(INJURED, 10).hits[0]
    first = results[0]
    assert first["type"] == "article"
    assert first["title"] == shorten(headline(hit), 100)
    assert first["description"] and first["description"][:15] in hit.text
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    text, entities = parse_html(content["message_text"])  # valid Telegram HTML
    assert len(text) <= 4096
    assert hit.highlight in text
    assert any(e["type"] == "bold" for e in entities)
    assert len({r["id"] for r in results}) == len(results)


async def test_empty_or_short_query_gets_a_hint(bot: RunningBot) -> None:
    for query in ("", "ক", "😀😀😀"):
        answer = await answered(bot, bot.fake.inline_query(bot.user(), query))
        assert answer["results"] == []
        button = answer["button"]
        if isinstance(button, str):
            button = json.loads(button)
        assert button["text"] and button["start_parameter"]


async def test_unanswerable_inline_query_says_so(bot: RunningBot) -> None:
    answer = await answered(bot, bot.fake.inline_query(bot.user(), "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?"))
    assert answer["results"] == []
    assert "উত্তর পাওয়া যায়নি" in answer["button"]["text"]


async def test_a_chosen_result_is_logged(bot: RunningBot) -> None:
    bot.fake.chosen_inline_result(bot.user(), "1", INJURED)
    await bot.fake.wait_for(lambda: not bot.fake.pending_updates())
    stats = None
    for _ in range(50):
        stats = await bot.store.stats(now=time.time(), zone=bot.settings.zone)
        if stats.week:
            break
        await asyncio.sleep(0.05)
    assert stats is not None and stats.week == 1 and stats.week_no_answer == 0
