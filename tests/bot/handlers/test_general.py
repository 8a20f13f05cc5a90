"""Commands for everyone in any chat, end to end: /latest, /sources labels, /help; and what an answer
names besides its passage (other outlets' reports of the story), in one language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bot.messages.bengali import BN
from tests.bot.conftest import ADMIN_ID, UNANSWERABLE, make_settings, start_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.paths import REPO

STORIES = REPO / "tests" / "fixtures" / "stories"


def stories_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "stories"
    shutil.copytree(STORIES, corpus, ignore=shutil.ignore_patterns("*.json", "*.jsonl"))
    return corpus


async def test_latest_lists_the_newest_articles_in_every_chat_type(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    async with start_bot(fake, make_settings(fake, corpus_dir, tmp_path / "state")) as bot:
        newest = bot.engine.latest(None, 10)
        private = await bot.command("/latest")
        group = await bot.command("/latest", chat=fake.group_chat())
        for reply in (private, group):
            text = reply["text"]
            assert text.startswith("সর্বশেষ খবর")
            assert "২৭ অক্টোবর ২০২৫" in text and "2025" not in text  # dates in Bengali
            positions = [text.index(f"{n}. ") for n in ("১", "২", "৩", "৪", "৫")]
            assert positions == sorted(positions) and len(newest) == 5
            assert "002_63125d0b3e90fd15" not in text  # an untitled article by a label, never its file id
            assert text.index("২৭ অক্টোবর ২০২৫") < text.index("১৬ আগস্ট ২০২৪")  # newest first
        topic = await bot.command("/latest উত্তর কোরিয়া")
        assert topic["text"].startswith("সর্বশেষ খবর: উত্তর কোরিয়া")
        english = await bot.command("/latest", user=bot.user(1002, language_code="en"))
        assert english["text"].startswith("Latest articles") and "27 October 2025" in english["text"]
        help_text = (await bot.command("/help"))["text"]
        assert "/latest" in help_text


async def test_sources_labels_untitled_articles_instead_of_file_ids(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    async with start_bot(fake, make_settings(fake, corpus_dir, tmp_path / "state")) as bot:
        text = (await bot.command("/sources"))["text"]
        assert text.count(BN.untitled) == 3 and not re.search(r"\d{3}_[0-9a-f]{16}", text)


async def test_an_answer_names_the_other_outlets_that_reported_the_story(fake: FakeBotApi, tmp_path: Path) -> None:
    async with start_bot(fake, make_settings(fake, stories_corpus(tmp_path), tmp_path / "state")) as bot:
        question = "বেতাগী সেতুর উদ্বোধন করেন কে?"
        top = bot.engine.search(question, 10).hits[0]
        assert top.also
        answer = await bot.say(question)
        line = next(x for x in answer["text"].splitlines() if x.startswith("আরও প্রকাশ করেছে: "))
        for citation in top.also:
            assert citation.source and citation.source in line
        links = {e["url"] for e in answer.get("entities", []) if e["type"] == "text_link"}
        assert {c.url for c in top.also if c.url} <= links


async def test_an_admin_is_told_when_the_corpus_changed_since_the_index(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    async with start_bot(fake, make_settings(fake, corpus_dir, tmp_path / "state")) as bot:
        (corpus_dir / "new.md").write_text(
            "---\ntitle: যমুনা রেলসেতু\n---\n\nযমুনা নদীর উপর নতুন রেলসেতু আগামী মাসে চালু হবে।\n", "utf-8"
        )
        admin = bot.user(ADMIN_ID)
        told = await bot.say(UNANSWERABLE, user=admin)
        assert BN.no_answer.splitlines()[0] in told["text"] and BN.corpus_changed in told["text"]
        user = await bot.say(UNANSWERABLE + " ", user=bot.user())
        assert BN.corpus_changed not in user["text"]
