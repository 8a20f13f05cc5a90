"""Private chats, end to end through the fake Bot API: answers, buttons, restarts, hints."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from bot.messages.language import texts_for
from bot.render import headline
from tests.bot.conftest import INJURED, UNANSWERABLE, WONSAN, RunningBot, start_bot
from tests.support.fake_bot_api import FakeBotApi

Json = dict[str, Any]


def buttons(message: Json) -> dict[str, str]:
    """callback_data -> button text of a message's inline keyboard."""
    markup = message.get("reply_markup") or {}
    return {b["callback_data"]: b["text"] for row in markup.get("inline_keyboard", []) for b in row}


def data_starting(message: Json, prefix: str) -> str:
    """The one callback_data of the message that starts with prefix."""
    (data,) = [d for d in buttons(message) if d.startswith(prefix)]
    return data


async def test_question_gets_three_cited_passages_with_bold_highlight(
    bot: RunningBot, bold_texts: Callable[[Json], list[str]]
) -> None:
    answer = await bot.say(INJURED)
    assert answer["parse_mode"] == "HTML"
    assert len(answer["text"]) <= 4096
    text = answer["text"]
    for rank in ("১.", "২.", "৩."):
        assert rank in text
    assert "৪." not in text
    result = bot.engine.search(INJURED, 10)
    top = result.hits[0]
    assert top.highlight in text
    assert top.highlight in bold_texts(answer)  # the best sentence is bold
    assert headline(top) in text
    assert top.source and top.source in text
    assert "২০২৪" in text  # the date, in Bengali digits
    assert all(len(d.encode()) <= 64 for d in buttons(answer))


async def test_answer_is_logged_with_its_hits(bot: RunningBot) -> None:
    answer = await bot.say(WONSAN)
    qid = data_starting(answer, "p:").split(":")[1]
    stored = await bot.store.question(qid)
    assert stored is not None and stored.question == WONSAN
    hits = bot.engine.search(WONSAN, 10).hits
    assert [ref.passage_id for ref in stored.hits] == [h.passage_id for h in hits]  # ids, not texts
    assert [h.text[r.highlight_start : r.highlight_end] for r, h in zip(stored.hits, hits, strict=True)] == [
        h.highlight for h in hits
    ]
    assert stored.generation == bot.engine.status().generation
    assert any("কৌশলগত সংলাপ" in h.text for h in hits)
    assert hits[0].highlight in answer["text"]


async def test_next_page_button_shows_the_next_passages(bot: RunningBot) -> None:
    answer = await bot.say(INJURED)
    user = bot.user()
    bot.fake.press_button(answer, data_starting(answer, "p:"), user)
    await bot.fake.wait_for(lambda: any(e["message_id"] == answer["message_id"] for e in bot.fake.edits))
    edited = [e for e in bot.fake.edits if e["message_id"] == answer["message_id"]][-1]
    assert re.search(r"^৪\. ", edited["text"], re.M) and not re.search(r"^১\. ", edited["text"], re.M)
    assert "পাতা ২/" in edited["text"]
    assert len(edited["text"]) <= 4096
    assert any(d.startswith("p:") and d.endswith(":0") for d in buttons(edited))  # a way back


async def test_next_page_works_after_a_restart(fake: FakeBotApi, settings: Any) -> None:
    async with start_bot(fake, settings) as first:
        user = first.user()
        answer = await first.say(INJURED, user=user)
    # A new process: new engine, new store, new Application on the same state directory.
    async with start_bot(fake, settings, index=False) as second:
        fake.press_button(answer, data_starting(answer, "p:"), user)
        await fake.wait_for(lambda: any(e["message_id"] == answer["message_id"] for e in fake.edits))
        edited = [e for e in fake.edits if e["message_id"] == answer["message_id"]][-1]
        assert "৪." in edited["text"]
        assert not [e for e in fake.errors if e[0] != "getUpdates"]
        assert second.store is not first.store


async def test_buttons_work_on_a_replica_that_never_saw_the_question(
    fake: FakeBotApi, settings: Any, tmp_path: Any
) -> None:
    async with start_bot(fake, settings) as first:
        user = first.user()
        answer = await first.say(INJURED, user=user)
    other = settings.model_copy(update={"state_dir": tmp_path / "other-replica"})
    async with start_bot(fake, other) as replica:
        fake.press_button(answer, data_starting(answer, "p:"), user)
        await fake.wait_for(lambda: any(e["message_id"] == answer["message_id"] for e in fake.edits))
        edited = [e for e in fake.edits if e["message_id"] == answer["message_id"]][-1]
        assert re.search(r"^৪\. ", edited["text"], re.M)
        up = next(d for d in buttons(edited) if d.startswith("f:") and d.endswith(":u"))
        vote = fake.press_button(edited, up, user)
        await fake.wait_for(lambda: vote in fake.callback_answers)
        assert "ধন্যবাদ" in fake.callback_answers[vote]["text"]
        stats = await replica.store.stats(now=time.time() + 1, zone=replica.settings.zone)
        assert (stats.week, stats.thumbs_up) == (0, 1)  # re-created, not counted as a new question


async def test_feedback_buttons_are_recorded(bot: RunningBot) -> None:
    answer = await bot.say(INJURED)
    votes = [d for d in buttons(answer) if d.startswith("f:")]
    up = next(d for d in votes if d.endswith(":u"))
    down = next(d for d in votes if d.endswith(":d"))
    first = bot.fake.press_button(answer, up, bot.user())
    other = bot.user(888)
    second = bot.fake.press_button(answer, down, other)
    await bot.fake.wait_for(lambda: first in bot.fake.callback_answers and second in bot.fake.callback_answers)
    assert "ধন্যবাদ" in bot.fake.callback_answers[first]["text"]
    stats = await bot.store.stats(now=10**10, zone=bot.settings.zone)
    assert (stats.thumbs_up, stats.thumbs_down) == (1, 1)
    # Changing one's mind replaces the vote.
    again = bot.fake.press_button(answer, down, bot.user())
    await bot.fake.wait_for(lambda: again in bot.fake.callback_answers)
    stats = await bot.store.stats(now=10**10, zone=bot.settings.zone)
    assert (stats.thumbs_up, stats.thumbs_down) == (0, 2)


async def test_unanswerable_question_gets_a_hint_to_rephrase(bot: RunningBot) -> None:
    answer = await bot.say(UNANSWERABLE)
    assert "খুঁজে পাইনি" in answer["text"]
    assert "অন্য শব্দে" in answer["text"]
    assert not buttons(answer)
    stats = await bot.store.stats(now=time.time(), zone=bot.settings.zone)
    assert (stats.week, stats.week_no_answer) == (1, 1)


async def test_start_and_help_in_bengali_and_english(bot: RunningBot) -> None:
    bn = bot.user(1001, language_code="bn")
    en = bot.user(1002, language_code="en-GB")
    start_bn = await bot.command("/start", user=bn)
    help_bn = await bot.command("/help", user=bn)
    start_en = await bot.command("/start", user=en)
    help_en = await bot.command("/help", user=en)
    assert "স্বাগতম" in start_bn["text"] and "Welcome" in start_en["text"]
    assert "কীভাবে" in help_bn["text"] and "How to use" in help_en["text"]
    assert "@sondhani_test_bot" in help_bn["text"] and "/ask" in help_en["text"]


async def test_sources_lists_the_articles_with_paging(fake: FakeBotApi, settings: Any, corpus_dir: Any) -> None:
    seed = sorted(corpus_dir.glob("*.md"))
    for i in range(8):  # 13 articles: two pages of ten
        text = seed[i % len(seed)].read_text(encoding="utf-8")
        text = text.replace('title: "', f'title: "অতিরিক্ত {i} ', 1) + f"\n\nনতুন বাক্য {i}।\n"
        (corpus_dir / f"extra_{i:02d}.md").write_text(text, encoding="utf-8")
    async with start_bot(fake, settings) as bot:
        user = bot.user()
        listing = await bot.command("/sources", user=user)
        articles = bot.engine.articles()
        assert len(articles) == 13
        assert "১৩" in listing["text"] and "পাতা ১/২" in listing["text"]
        assert "১০." in listing["text"] and "১১." not in listing["text"]
        bot.fake.press_button(listing, "s:1", user)
        await fake.wait_for(lambda: any(e["message_id"] == listing["message_id"] for e in fake.edits))
        page2 = [e for e in fake.edits if e["message_id"] == listing["message_id"]][-1]
        assert "১১." in page2["text"] and "১৩." in page2["text"] and "পাতা ২/২" in page2["text"]


async def test_unknown_command_points_to_help(bot: RunningBot) -> None:
    reply = await bot.command("/foo")
    assert "/help" in reply["text"]


async def test_no_answer_says_why(bot: RunningBot) -> None:
    answer = await bot.say(UNANSWERABLE)
    reason = bot.engine.search(UNANSWERABLE, 10).no_answer_reason
    assert reason is not None
    assert texts_for("bn").no_answer_because[reason] in answer["text"]


async def test_a_greeting_gets_a_greeting_back_not_an_apology(bot: RunningBot) -> None:
    for greeting in ("hi", "ধন্যবাদ"):
        answer = await bot.say(greeting)
        assert answer["text"] == texts_for("bn").no_answer_because["chatter"]
        assert "খুঁজে পাইনি" not in answer["text"] and not buttons(answer)
