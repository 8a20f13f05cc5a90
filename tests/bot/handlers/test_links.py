"""Admins add articles from links, end to end: the real bot polling the fake Bot API, the real fetch
from a news site on 127.0.0.1, the real trafilatura, the real engine re-indexing incrementally."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.bot.conftest import ADMIN_ID, RunningBot, make_settings, start_bot
from tests.support import news_pages as pages
from tests.support.fake_bot_api import FakeBotApi
from tests.support.news_site import NewsSite, news_site

Json = dict[str, Any]
MANGO_QUESTION = "রাজশাহীতে হিমসাগর আমের দাম প্রতি মণ কত টাকা?"


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with news_site() as running:
        yield running


@pytest.fixture
async def bot(fake: FakeBotApi, corpus_dir: Path, tmp_path: Path) -> AsyncIterator[RunningBot]:
    """The bot with fetching of 127.0.0.1 allowed (SONDHANI_FETCH_ALLOW_PRIVATE=true) and short limits."""
    settings = make_settings(fake, corpus_dir, tmp_path / "state", fetch_allow_private=True, fetch_timeout_seconds=1.0)
    async with start_bot(fake, settings) as running:
        yield running


def admin(bot: RunningBot) -> Json:
    return bot.user(ADMIN_ID, first_name="Admin")


async def final_edit(bot: RunningBot, reply: Json, marker: str, timeout: float = 30) -> str:
    """The text of the bot's reply once an edit of it contains marker."""

    def edited() -> list[Json]:
        return [
            e
            for e in bot.fake.edits
            if e["message_id"] == reply["message_id"] and e["chat"]["id"] == reply["chat"]["id"] and marker in e["text"]
        ]

    await bot.fake.wait_for(lambda: bool(edited()), timeout=timeout)
    return str(edited()[-1]["text"])


def links_in(message: Json) -> list[str]:
    return [e["url"] for e in message.get("entities", []) if e["type"] == "text_link"]


async def test_admin_sends_a_link_and_the_article_answers_the_next_question_with_its_link(
    bot: RunningBot, site: NewsSite
) -> None:
    url = site.url("/news/mango")
    assert not bot.engine.search(MANGO_QUESTION, 3).hits or bot.engine.search(MANGO_QUESTION, 3).hits[0].url != url
    started = time.perf_counter()
    reply = await bot.say(url, user=admin(bot))
    assert "⏳" in reply["text"]
    done = await final_edit(bot, reply, "✅")
    added_at = time.perf_counter()
    assert pages.MANGO.title in done and pages.MANGO.outlet in done and "2025-06-12" in done
    assert "অনুচ্ছেদ: ৬" in done and url in done
    answer = await bot.say(MANGO_QUESTION)
    answered_at = time.perf_counter()
    assert answer["text"].split("\n")[2].startswith("১.") or "১." in answer["text"]
    first = answer["text"].split("২.")[0]
    assert pages.MANGO.title in first and "১ হাজার ৮০০ থেকে ২ হাজার টাকায়" in first
    assert links_in(answer)[0] == url
    print(f"\nadd one article: {added_at - started:.2f} s; then answer: {answered_at - added_at:.2f} s")
    stored = list(bot.settings.data_dir.glob("added/web_*.md"))
    assert len(stored) == 1 and f'url: "{url}"' in stored[0].read_text("utf-8")


async def test_add_command_with_several_links_reports_each_and_indexes_once(bot: RunningBot, site: NewsSite) -> None:
    links = [site.url("/news/turtle"), site.url("/section/saradesh"), site.url("/news/turtle?utm_source=x")]
    reply = await bot.say("/add " + " ".join(links), user=admin(bot))
    done = await final_edit(bot, reply, "✅")
    assert pages.TURTLE.title in done and "সাগরবার্তা" in done and "2025-03-04" in done
    assert "list of stories" in done and "already in the corpus" in done
    assert len(list(bot.settings.data_dir.glob("added/web_*.md"))) == 1
    assert len(bot.engine.articles()) == 6


async def test_a_refused_link_says_why_and_nothing_changes(bot: RunningBot, site: NewsSite) -> None:
    before, articles = sorted(p.name for p in bot.settings.data_dir.iterdir()), bot.engine.articles()
    for path, reason in (("/missing", "404"), ("/report.pdf", "application/pdf"), ("/trickle", "2 seconds")):
        reply = await bot.say(f"/add {site.url(path)}", user=admin(bot))
        done = await final_edit(bot, reply, "❌")
        assert reason in done and "যোগ করা গেল না" in done, done
    assert sorted(p.name for p in bot.settings.data_dir.iterdir()) == before
    assert bot.engine.articles() == articles


async def test_a_non_admins_link_is_a_question_and_is_never_fetched(bot: RunningBot, site: NewsSite) -> None:
    stranger = bot.user(5151, username="stranger")
    answer = await bot.say(site.url("/news/mango"), user=stranger)
    assert "⏳" not in answer["text"] and "✅" not in answer["text"]
    refusal = await bot.command(f"/add {site.url('/news/mango')}", user=stranger)
    assert "পরিচালকদের" in refusal["text"]
    assert site.requests == []
    assert not list(bot.settings.data_dir.rglob("web_*"))
    audit = [(r.action, r.allowed) for r in await bot.store.audit_log() if r.user_id == 5151]
    assert audit == [("/add", False)]


async def test_add_without_a_link_shows_how(bot: RunningBot) -> None:
    reply = await bot.say("/add", user=admin(bot))
    assert "/add https://" in reply["text"]


async def test_private_addresses_are_refused_without_the_setting(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, site: NewsSite
) -> None:
    settings = make_settings(fake, corpus_dir, tmp_path / "state")  # SONDHANI_FETCH_ALLOW_PRIVATE unset
    async with start_bot(fake, settings) as strict:
        reply = await strict.say(site.url("/news/mango"), user=admin(strict))
        done = await final_edit(strict, reply, "❌")
        assert "private, local or reserved address" in done
    assert site.requests == []


async def test_two_admins_adding_at_once_both_get_indexed(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, site: NewsSite
) -> None:
    settings = make_settings(
        fake,
        corpus_dir,
        tmp_path / "state",
        admin_ids=frozenset({ADMIN_ID, 4343}),
        fetch_allow_private=True,
        fetch_timeout_seconds=1.0,
    )
    async with start_bot(fake, settings) as bot:
        first, second = bot.user(ADMIN_ID), bot.user(4343)
        sent = [
            fake.send_message(fake.private_chat(u), u, site.url(f"/news/{slug}"))
            for u, slug in ((first, "turtle"), (second, "hilsa"))
        ]
        replies = [await bot.reply_to(m) for m in sent]
        done = [await final_edit(bot, r, "✅") for r in replies]
        assert pages.TURTLE.title in done[0] and pages.HILSA.title in done[1]
        assert not any("পরের /reindex" in d for d in done), done
        assert {pages.TURTLE.title, pages.HILSA.title} <= {a.title for a in bot.engine.articles()}
