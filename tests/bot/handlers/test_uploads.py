"""Admin uploads never lose articles: a taken name keeps both files, a new version of a file replaces it
only after the admin confirms with a button (told how many articles go), long Bengali names are cut by
bytes, and no temporary file is left behind. End to end through the fake Bot API, on real files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from retrieval.corpus import uploads
from retrieval.errors import CorpusError
from tests.bot.conftest import ADMIN_ID, RunningBot

Json = dict[str, Any]
TIGERS = "সুন্দরবনে বাঘের সংখ্যা বেড়ে ১২৫টি হয়েছে। আগের জরিপে এই সংখ্যা ছিল ১১৪টি।"


def record(doc_id: str, text: str) -> str:
    return json.dumps({"id": doc_id, "title": f"শিরোনাম {doc_id}", "text": text}, ensure_ascii=False)


def jsonl(*ids: str) -> bytes:
    """Records with distinct texts, one a line."""
    return "\n".join(record(i, f"{TIGERS} প্রতিবেদন নম্বর {i} আলাদা।") for i in ids).encode() + b"\n"


def admin(bot: RunningBot) -> Json:
    return bot.user(ADMIN_ID, first_name="Admin")


async def send(bot: RunningBot, name: str, content: bytes) -> Json:
    """Upload a document as the admin and return the bot's reply to it."""
    user = admin(bot)
    return await bot.reply_to(bot.fake.send_document(bot.fake.private_chat(user), user, name, content))


async def reindexed(bot: RunningBot, progress: Json) -> str:
    """The re-index summary that follows a progress message (sent as a new message, or an edit)."""

    def finished(m: Json) -> bool:
        later = m["chat"]["id"] == progress["chat"]["id"] and m["message_id"] > progress["message_id"]
        return later and str(m.get("text", "")).startswith(("✅", "❌"))

    (summary, *_) = await bot.fake.wait_for_sent(finished, timeout=30)
    return str(summary["text"])


def leftovers(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.rglob(".upload-*"))


@pytest.fixture
def archive(corpus_dir: Path) -> bytes:
    """A passages.jsonl of three articles already in the corpus (the 5 MB file of the issue, in small)."""
    data = jsonl("arc-1", "arc-2", "arc-3")
    (corpus_dir / "passages.jsonl").write_bytes(data)
    return data


async def test_a_taken_name_keeps_both_files_and_says_so(archive: bytes, bot: RunningBot) -> None:
    corpus = bot.settings.data_dir
    reply = await send(bot, "passages.jsonl", jsonl("new-1"))
    assert "passages-2.jsonl" in reply["text"] and "passages.jsonl" in reply["text"], reply["text"]
    assert "✅" in await reindexed(bot, reply)
    assert (corpus / "passages.jsonl").read_bytes() == archive  # untouched
    assert (corpus / "added" / "passages-2.jsonl").read_bytes() == jsonl("new-1")  # apart from the operator's
    assert {"arc-1", "arc-2", "arc-3", "new-1"} <= {a.doc_id for a in bot.engine.articles()}


async def test_two_names_that_clean_to_one_are_both_kept(bot: RunningBot) -> None:
    corpus = bot.settings.data_dir
    first = await send(bot, "my notes.md", f"---\ntitle: প্রথম\n---\n{TIGERS}\n".encode())
    await reindexed(bot, first)
    second = await send(bot, "my_notes.md", f"---\ntitle: দ্বিতীয়\n---\n{TIGERS} নতুন তথ্য।\n".encode())
    assert "my_notes-2.md" in second["text"]
    await reindexed(bot, second)
    assert "প্রথম" in (corpus / "added" / "my_notes.md").read_text(encoding="utf-8")
    assert "দ্বিতীয়" in (corpus / "added" / "my_notes-2.md").read_text(encoding="utf-8")
    assert {"my_notes", "my_notes-2"} <= {a.doc_id for a in bot.engine.articles()}


async def test_the_same_file_again_changes_nothing(archive: bytes, bot: RunningBot) -> None:
    reply = await send(bot, "passages.jsonl", archive)
    assert "কিছু বদলায়নি" in reply["text"] and not reply.get("reply_markup")
    assert sorted(p.name for p in bot.settings.data_dir.glob("passages*")) == ["passages.jsonl"]


async def test_a_new_version_replaces_only_after_the_admin_confirms(archive: bytes, bot: RunningBot) -> None:
    corpus, fake = bot.settings.data_dir, bot.fake
    version = jsonl("arc-2")  # one record of the three: replacing removes two articles
    ask = await send(bot, "passages.jsonl", version)
    assert "বাদ যাবে ২টি খবর" in ask["text"] and "৩টি খবর" in ask["text"], ask["text"]
    data = [b["callback_data"] for row in ask["reply_markup"]["inline_keyboard"] for b in row]
    assert len(data) == 2 and all(len(d.encode()) <= 64 for d in data)
    replace, cancel = data
    assert (corpus / "passages.jsonl").read_bytes() == archive  # asking changes nothing

    # Someone else cannot decide it, even with the right data.
    stranger = bot.user(5151)
    forged = fake.press_button(ask, replace, stranger)
    await fake.wait_for(lambda: forged in fake.callback_answers)
    assert fake.callback_answers[forged].get("show_alert")
    assert (corpus / "passages.jsonl").read_bytes() == archive

    pressed = fake.press_button(ask, cancel, admin(bot))
    await fake.wait_for(lambda: pressed in fake.callback_answers)
    await fake.wait_for(lambda: any(e["message_id"] == ask["message_id"] for e in fake.edits))
    assert (corpus / "passages.jsonl").read_bytes() == archive
    late = fake.press_button(ask, replace, admin(bot), require_button=False)  # decided already
    await fake.wait_for(lambda: late in fake.callback_answers)
    assert fake.callback_answers[late].get("show_alert")
    assert (corpus / "passages.jsonl").read_bytes() == archive

    ask = await send(bot, "passages.jsonl", version)
    replace = next(
        b["callback_data"]
        for row in ask["reply_markup"]["inline_keyboard"]
        for b in row
        if b["callback_data"].endswith(":r")
    )
    fake.press_button(ask, replace, admin(bot))
    assert "✅" in await reindexed(bot, ask)
    assert (corpus / "passages.jsonl").read_bytes() == version
    ids = {a.doc_id for a in bot.engine.articles()}
    assert "arc-2" in ids and not {"arc-1", "arc-3"} & ids
    assert not list(corpus.rglob("passages-*"))
    assert leftovers(corpus) == []


async def test_unknown_upload_buttons_get_an_alert(bot: RunningBot) -> None:
    answer = await bot.say("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", user=admin(bot))
    for data in ("u:AAAAAAAA:r", "u:zzzzzzzz:c"):
        query = bot.fake.press_button(answer, data, admin(bot), require_button=False)
        answers = bot.fake.callback_answers
        await bot.fake.wait_for(lambda: query in answers)
        assert bot.fake.callback_answers[query].get("show_alert")


async def test_a_long_bengali_name_is_cut_by_bytes_and_saved(bot: RunningBot) -> None:
    corpus = bot.settings.data_dir
    name = "সুন্দরবনের" * 20 + ".md"  # 200 characters, 600 bytes: far over the 255-byte limit
    reply = await send(bot, name, f"{TIGERS}\n".encode())
    assert "✅" in await reindexed(bot, reply)
    (saved,) = [p for p in (corpus / "added").glob("সুন্দরবনের*")]
    assert saved.suffix == ".md" and len(saved.name.encode()) <= uploads.MAX_NAME_BYTES
    assert name.startswith(saved.stem)  # whole characters, cut at the end
    assert leftovers(corpus) == []


def test_names_are_cut_between_characters_keeping_the_suffix() -> None:
    for stem in ("ক্ষ" * 200, "a" * 400, "কি" * 150 + "b"):
        name = uploads.safe_name(stem + ".JSONL")
        assert name.endswith(".jsonl") and len(name.encode()) <= uploads.MAX_NAME_BYTES
        assert stem.startswith(name.removesuffix(".jsonl"))
    cut = uploads.safe_name("ক্ষ" * 200 + ".md").removesuffix(".md")
    assert len(cut) % 3 == 0  # "ক্ষ" is one grapheme of three code points: never split


def test_a_failed_write_leaves_no_temporary_file(corpus_dir: Path) -> None:
    plan = uploads.plan_upload(corpus_dir, "fresh.jsonl", jsonl("f-1"))
    assert plan.name == "added/fresh.jsonl"
    (corpus_dir / "added").mkdir()
    (corpus_dir / "added" / "fresh.jsonl").write_bytes(b"appeared meanwhile\n")
    with pytest.raises(CorpusError, match="appeared"):
        uploads.write_upload(corpus_dir, plan, jsonl("f-1"))
    assert (corpus_dir / "added" / "fresh.jsonl").read_bytes() == b"appeared meanwhile\n"
    assert leftovers(corpus_dir) == []


def test_a_replacement_checks_the_file_it_replaces(corpus_dir: Path) -> None:
    (corpus_dir / "p.jsonl").write_bytes(jsonl("p-1", "p-2"))
    plan = uploads.plan_upload(corpus_dir, "p.jsonl", jsonl("p-1"))
    assert (plan.replaces, plan.removed, plan.updated, plan.added) == ("p.jsonl", 1, 1, 0)
    with pytest.raises(CorpusError):
        uploads.save_upload(corpus_dir, "p.jsonl", jsonl("p-1"))  # the plain save never replaces
    (corpus_dir / "p.jsonl").write_bytes(jsonl("p-1", "p-2", "p-3"))  # changed after the admin was asked
    with pytest.raises(CorpusError, match="changed"):
        uploads.write_upload(corpus_dir, plan, jsonl("p-1"))
    assert (corpus_dir / "p.jsonl").read_bytes() == jsonl("p-1", "p-2", "p-3")
    assert leftovers(corpus_dir) == []
