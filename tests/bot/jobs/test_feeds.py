"""Feeds in the running bot: the JobQueue job polls them and re-indexes once; /feeds reports each feed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.jobs.feed_poller import FEEDS_KEY, FeedPoller
from bot.settings import Settings
from retrieval import SearchEngine
from tests.bot.conftest import ADMIN_ID, make_settings, start_bot
from tests.support import news_pages as pages
from tests.support.fake_bot_api import FakeBotApi
from tests.support.news_site import NewsSite, news_site


@pytest.fixture
def site() -> Iterator[NewsSite]:
    with news_site() as running:
        yield running


def feed_settings(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, feeds: tuple[str, ...], **overrides: Any
) -> Settings:
    """Settings that poll these feeds on 127.0.0.1 at once: private addresses allowed, no per-host delay."""
    return make_settings(
        fake,
        corpus_dir,
        tmp_path / "state",
        fetch_allow_private=True,
        fetch_timeout_seconds=1.0,
        feeds=feeds,
        feed_host_delay_seconds=0.0,
        **overrides,
    )


async def test_the_scheduled_poll_adds_and_indexes_and_feeds_reports_it(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, site: NewsSite
) -> None:
    feeds = (site.url("/feeds/rss.xml"), site.url("/feeds/broken.xml"))
    settings = feed_settings(fake, corpus_dir, tmp_path, feeds, feed_interval_minutes=5)
    async with start_bot(fake, settings) as bot:
        admin = bot.user(ADMIN_ID, first_name="Admin")
        before = await bot.command("/feeds", user=admin)
        assert before["text"].count("এখনো পড়া হয়নি") == 2

        assert bot.app.job_queue is not None
        (job,) = bot.app.job_queue.get_jobs_by_name("feeds")
        assert job.trigger.interval.total_seconds() == 300  # type: ignore[attr-defined]
        await job.run(bot.app)  # what the job queue does when the interval comes round
        titles = {a.title for a in bot.engine.articles()}
        assert {p.title for p in pages.ARTICLES} <= titles and len(bot.engine.articles()) == 8

        answer = await bot.say("সুরমা নদীর পানি কানাইঘাট পয়েন্টে বিপৎসীমার কত ওপর দিয়ে বইছে?")
        assert pages.FLOOD.title in answer["text"].split("২.")[0]

        report = (await bot.command("/feeds", user=admin))["text"]
        rss_part, broken_part = report.split("\n\n")[1:]
        assert "নতুন খবর: ৩" in rss_part and "⚠️" not in rss_part
        assert "নতুন খবর: ০" in broken_part and "not well-formed" in broken_part

        poller: FeedPoller = bot.app.bot_data[FEEDS_KEY]
        again = await poller.poll()
        assert again is not None and not again.added and again.feeds[0].not_modified


async def test_feeds_is_for_admins_and_says_when_none_are_configured(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    async with start_bot(fake, make_settings(fake, corpus_dir, tmp_path / "state")) as bot:
        refusal = await bot.command("/feeds", user=bot.user(999))
        assert "পরিচালকদের" in refusal["text"]
        none = await bot.command("/feeds", user=bot.user(ADMIN_ID))
        assert "SONDHANI_FEEDS" in none["text"]
        assert bot.app.job_queue is None or not bot.app.job_queue.get_jobs_by_name("feeds")


async def test_a_stopping_bot_interrupts_the_feed_reindex_and_the_next_start_indexes_what_was_saved(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path, site: NewsSite, caplog: pytest.LogCaptureFixture
) -> None:
    settings = feed_settings(fake, corpus_dir, tmp_path, (site.url("/feeds/rss.xml"),))
    caplog.set_level(logging.INFO, logger="bot.jobs.feed_poller")
    with SearchEngine.open(settings.engine_config()) as engine:
        engine.reindex()
        stopping = threading.Event()
        stopping.set()  # SIGTERM came while the poll was fetching
        report = await FeedPoller(settings, engine, stopping).poll()
        assert report is not None and len(report.added) == 3
        assert len(list(corpus_dir.glob("added/web_*.md"))) == 3 and len(engine.articles()) == 5  # saved, not indexed
        assert "the bot is stopping" in caplog.text

        again = await FeedPoller(settings, engine).poll()  # the first poll after the next start
        assert again is not None and not again.added  # nothing new in the feed...
        assert len(engine.articles()) == 8  # ...but what the stopped run saved is indexed now
