"""/remove for admins, end to end: a confirm button, the file moved aside (never deleted), the index
updated; strangers, forged callback data and a second press are refused with an alert."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.messages.bengali import BN
from tests.bot.conftest import RunningBot
from tests.bot.handlers.test_admin import admin
from tests.bot.handlers.test_uploads import reindexed
from tests.support.fake_bot_api import FakeBotApi

Json = dict[str, Any]
DOC = "004_929bea25c59513b1"  # কিমকে পুতিনের চিঠি


async def test_remove_asks_then_moves_the_file_aside_and_reindexes(bot: RunningBot, corpus_dir: Path) -> None:
    fake = bot.fake
    ask = await bot.command(f"/remove {DOC}", user=admin(bot))
    assert "কিমকে পুতিনের চিঠি" in ask["text"] and f"{DOC}.md" in ask["text"]
    remove, cancel = [b["callback_data"] for row in ask["reply_markup"]["inline_keyboard"] for b in row]
    assert (corpus_dir / f"{DOC}.md").exists()  # asking changes nothing

    stranger = fake.press_button(ask, remove, bot.user(5151))
    await fake.wait_for(lambda: stranger in fake.callback_answers)
    assert (
        fake.callback_answers[stranger].get("show_alert") and fake.callback_answers[stranger]["text"] == BN.admin_only
    )
    forged = fake.press_button(ask, "x:deadbeef:y", admin(bot), require_button=False)
    await fake.wait_for(lambda: forged in fake.callback_answers)
    assert fake.callback_answers[forged]["text"] == BN.remove_gone and (corpus_dir / f"{DOC}.md").exists()

    pressed = fake.press_button(ask, remove, admin(bot))
    assert "✅" in await reindexed(bot, ask)
    assert not (corpus_dir / f"{DOC}.md").exists()
    (moved,) = (bot.settings.state_dir / "removed").iterdir()
    assert moved.name.endswith(f"-{DOC}.md") and "কিমকে পুতিনের চিঠি" in moved.read_text("utf-8")
    assert DOC not in {a.doc_id for a in bot.engine.articles()}
    assert pressed in fake.callback_answers
    again = fake.press_button(ask, cancel, admin(bot), require_button=False)
    await fake.wait_for(lambda: again in fake.callback_answers)
    assert fake.callback_answers[again]["text"] == BN.remove_gone
    actions = [(row.action, row.allowed) for row in await bot.store.audit_log()]
    assert ("remove-confirm", True) in actions and ("remove-confirm", False) in actions and ("/remove", True) in actions


async def test_remove_is_for_admins_and_needs_a_known_id(bot: RunningBot, corpus_dir: Path) -> None:
    refused = await bot.command(f"/remove {DOC}")
    assert refused["text"] == BN.admin_only and not refused.get("reply_markup")
    unknown = await bot.command("/remove no-such-id", user=admin(bot))
    assert unknown["text"].startswith("বাদ দেওয়া গেল না") and not unknown.get("reply_markup")
    usage = await bot.command("/remove", user=admin(bot))
    assert usage["text"] == BN.remove_usage.replace("<code>", "").replace("</code>", "")
    assert (corpus_dir / f"{DOC}.md").exists()


async def test_cancel_keeps_the_article(bot: RunningBot, corpus_dir: Path, fake: FakeBotApi) -> None:
    ask = await bot.command(f"/remove {DOC}", user=admin(bot))
    _, cancel = [b["callback_data"] for row in ask["reply_markup"]["inline_keyboard"] for b in row]
    pressed = fake.press_button(ask, cancel, admin(bot))
    await fake.wait_for(lambda: any(e["message_id"] == ask["message_id"] for e in fake.edits))
    assert pressed in fake.callback_answers and (corpus_dir / f"{DOC}.md").exists()
    assert not (bot.settings.state_dir / "removed").exists()
