"""Hostile inputs against the real bot process (`python -m bot run` against the fake Bot API of
tests/fake_bot_api): forged webhook posts, forged button presses, hostile uploads and questions, a link
from a non-admin. Run from tests/suites/fault_injection.py, which prints one line per input:
`handled` or `NOT HANDLED`, with the reason, and the totals "bad inputs: N, handled: M".

An input is handled when the bot answered it the documented way (a clear reply, a refusal, or silence
where silence is right), never with its generic error reply, and nothing in the corpus was lost.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import socket
import sqlite3
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.fake_bot_api import FakeBotApi

ADMIN = 4242
FORGED_PRESSES = 200
STORE_GROWTH_LIMIT = 50_000  # bytes bot.sqlite3 may grow by over all the forged presses
BIG_UPLOAD = 3_000_000  # over the default SONDHANI_MAX_UPLOAD_BYTES (2,000,000)
JSONL_RECORDS = (
    ("jl-a", "ঢাকায় নতুন মেট্রো লাইন", "ঢাকায় নতুন মেট্রো লাইনের কাজ শুরু হয়েছে। প্রকল্পটি তিন বছরে শেষ হবে বলে কর্তৃপক্ষ জানিয়েছে।"),
    ("jl-b", "চট্টগ্রাম বন্দরে রেকর্ড", "চট্টগ্রাম বন্দরে এ বছর রেকর্ড পরিমাণ কনটেইনার ওঠানামা হয়েছে বলে বন্দর কর্তৃপক্ষ জানিয়েছে।"),
    ("jl-c", "সিলেটে বন্যা পরিস্থিতি", "সিলেটে বন্যা পরিস্থিতির উন্নতি হয়েছে; নদীর পানি বিপৎসীমার নিচে নেমেছে।"),
)


@dataclass
class Check:
    name: str
    handled: bool
    reason: str


class Texts:
    """The interface strings of the tree under test (read by a subprocess of that tree); a string the
    tree does not have reads as a marker no message can equal."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> str:
        return self._values.get(name, f"\0(no {name} in this tree)")


TEXTS_SCRIPT = """
import dataclasses, json
from bot.messages.bengali import BN
values = {k: v for k, v in dataclasses.asdict(BN).items() if isinstance(v, str)}
try:
    values["stage_embedding"] = BN.stage("embedding")
except Exception:
    pass
print(json.dumps(values))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def plain(message: dict[str, Any] | None) -> str:
    return "" if message is None else str(message.get("text") or message.get("caption") or "")


def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def store_bytes(path: Path) -> int:
    """The database's logical size (WAL frames included): page_count * page_size, read-only."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    return int(pages) * int(size)


class Bot:
    """One `python -m bot run` of the tree under test, its stderr in a file."""

    def __init__(self, tree: Path, env: dict[str, str], log: Path) -> None:
        self.tree, self.env, self.log = tree, env, log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("wb") as handle:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=self.tree,
                env=self.env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=handle,
            )

    @property
    def exited(self) -> bool:
        return self.process is not None and self.process.returncode is not None

    def stderr(self) -> str:
        return self.log.read_text("utf-8", errors="replace") if self.log.exists() else ""

    async def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 60 s; the exit status (None: had to be killed)."""
        assert self.process is not None
        if self.process.returncode is not None:
            return self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return await asyncio.wait_for(self.process.wait(), 60)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            return None


async def wait_up(fake: FakeBotApi, bot: Bot, method: str) -> str | None:
    """None once the bot has called `method` (it is receiving updates), else why not."""
    try:
        await fake.wait_for(lambda: bot.exited or any(m == method for m, _ in fake.calls), timeout=120)
        if bot.exited:
            raise AssertionError("the bot exited")
    except AssertionError:
        lines = bot.stderr().strip().splitlines()
        return f"the bot did not come up: {short(lines[-1] if lines else '(no output)')}"
    return None


async def new_messages(fake: FakeBotApi, chat_id: int, before: int, timeout: float) -> list[dict[str, Any]]:
    """Messages the bot sent to chat_id after the first `before` ones (waits for one, up to timeout)."""
    try:
        await fake.wait_for(lambda: len(fake.messages_to(chat_id)) > before, timeout=timeout)
    except AssertionError:
        return []
    await asyncio.sleep(0.3)
    return fake.messages_to(chat_id)[before:]


async def say(fake: FakeBotApi, user_id: int, text: str, timeout: float = 30) -> list[dict[str, Any]]:
    user = fake.make_user(user_id)
    chat = fake.private_chat(user)
    before = len(fake.messages_to(user_id))
    fake.send_message(chat, user, text)
    return await new_messages(fake, user_id, before, timeout)


async def upload(fake: FakeBotApi, user_id: int, name: str, data: bytes, timeout: float = 60) -> dict[str, Any] | None:
    """Send a document; the bot's reply, after any re-index it started has settled."""
    user = fake.make_user(user_id)
    before = len(fake.messages_to(user_id))
    fake.send_document(fake.private_chat(user), user, name, data)
    replies = await new_messages(fake, user_id, before, timeout)
    if not replies:
        return None
    reply = replies[0]
    first = plain(reply)
    await asyncio.sleep(1.0)
    if reply.get("edit_date") or first.startswith("📄") or first.rstrip().endswith("…"):
        try:  # a re-index started: let it finish (its summary is a new message) before the next upload
            await fake.wait_for(
                lambda: any(plain(m)[:1] in {"✅", "❌", "⏹"} for m in fake.messages_to(user_id)[before:]), timeout=90
            )
        except AssertionError:
            pass
    return {"first": first, "now": plain(reply), "message": reply}


def corpus_files(corpus: Path) -> dict[str, bytes]:
    """Every file of the corpus, its added/ folder included, by path inside it."""
    return {str(p.relative_to(corpus)): p.read_bytes() for p in sorted(corpus.rglob("*")) if p.is_file()}


def jsonl(records: list[tuple[str, str, str]]) -> bytes:
    lines = [json.dumps({"id": i, "title": t, "text": x, "source": "test"}, ensure_ascii=False) for i, t, x in records]
    return ("\n".join(lines) + "\n").encode()


def note(title: str, body: str) -> bytes:
    return f"# {title}\n\n{body}\n".encode()


# --- webhook ----------------------------------------------------------------------------------------


async def webhook_checks(tree: Path, make_env: Callable[..., dict[str, str]], case: Path) -> list[Check]:
    """Webhook mode with SONDHANI_WEBHOOK_SECRET empty: forged /stats from an admin id, without the
    secret header and with a wrong one. Handled: 403 and nothing sent to that chat."""
    names = (
        "forged webhook update (admin /stats), no secret header",
        "forged webhook update (admin /stats), wrong secret header",
    )
    port = free_port()
    async with FakeBotApi() as fake:
        env = make_env(
            TELEGRAM_BOT_TOKEN=fake.token,
            SONDHANI_TELEGRAM_API_URL=fake.root_url,
            SONDHANI_ADMIN_IDS=str(ADMIN),
            SONDHANI_WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
            SONDHANI_WEBHOOK_LISTEN="127.0.0.1",
            SONDHANI_WEBHOOK_PORT=str(port),
            SONDHANI_WEBHOOK_SECRET="",
        )
        bot = Bot(tree, env, case / "webhook-bot.log")
        await bot.start()
        try:
            why = await wait_up(fake, bot, "setWebhook")
            if why:
                return [Check(n, False, why) for n in names]
            await asyncio.sleep(1.0)
            admin = fake.make_user(ADMIN, first_name="Admin")
            chat = fake.private_chat(admin)
            fake._remember(chat, admin)  # the chat exists: a reply to it would be delivered, not refused
            checks = []
            for n, (name, headers) in enumerate(zip(names, ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret"}))):
                update = {
                    "update_id": 900_000 + n,
                    "message": {
                        "message_id": 90_000 + n,
                        "date": int(time.time()),
                        "chat": chat,
                        "from": admin,
                        "text": "/stats",
                        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                    },
                }
                calls_before = len(fake.calls)
                try:
                    async with (
                        aiohttp.ClientSession() as http,
                        http.post(
                            f"http://127.0.0.1:{port}/hook",
                            json=update,
                            headers=headers,
                            timeout=aiohttp.ClientTimeout(total=15),
                        ) as response,
                    ):
                        status = response.status
                except (aiohttp.ClientError, TimeoutError) as exc:
                    checks.append(Check(name, False, f"the request failed: {type(exc).__name__}: {exc}"))
                    continue
                await asyncio.sleep(3.0)
                to_admin = [
                    m
                    for m, p in fake.calls[calls_before:]
                    if str(p.get("chat_id")) == str(ADMIN) and m.startswith(("send", "edit", "copy", "forward"))
                ]
                if status == 403 and not to_admin:
                    checks.append(Check(name, True, "403, nothing sent to the admin's chat"))
                else:
                    why = f"answered {status}; bot called {to_admin or 'nothing'} for that chat"
                    checks.append(Check(name, False, why))
            return checks
        finally:
            await bot.stop()


# --- the polling session: buttons, uploads, questions, a link ------------------------------------------


async def session_checks(
    tree: Path,
    make_env: Callable[..., dict[str, str]],
    corpus: Path,
    state: Path,
    case: Path,
    t: Texts,
    question: str,
    second_question: str,
) -> list[Check]:
    (corpus / "passages.jsonl").write_bytes(jsonl(list(JSONL_RECORDS)))
    hits: list[str] = []

    async def page(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(
            text="<html><body><h1>খবর</h1><p>" + "পরীক্ষার খবর। " * 50 + "</p></body></html>", content_type="text/html"
        )

    pages = web.Application()
    pages.router.add_get("/{tail:.*}", page)
    runner = web.AppRunner(pages)
    await runner.setup()
    page_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", page_port).start()
    checks: list[Check] = []
    try:
        async with FakeBotApi() as fake:
            env = make_env(
                TELEGRAM_BOT_TOKEN=fake.token,
                SONDHANI_TELEGRAM_API_URL=fake.root_url,
                SONDHANI_ADMIN_IDS=str(ADMIN),
                SONDHANI_FETCH_ALLOW_PRIVATE="true",
            )
            bot = Bot(tree, env, case / "bot.log")
            await bot.start()
            try:
                why = await wait_up(fake, bot, "getUpdates")
                if why:
                    return [Check("the bot for the hostile inputs", False, why)]
                checks += await button_checks(fake, state, t, question, second_question)
                checks += await upload_checks(fake, corpus, t)
                checks += await question_checks(fake, t)
                checks.append(await link_check(fake, t, page_port, hits))
            finally:
                status = await bot.stop()
            log = bot.stderr()
            tracebacks = log.count("Traceback")
            errors = [line for line in log.splitlines() if " ERROR " in line]
            checks.append(
                Check(
                    "the bot's log over all the hostile inputs",
                    tracebacks == 0 and not errors and status == 0,
                    f"exit {status} on SIGTERM, {tracebacks} traceback(s), {len(errors)} ERROR line(s)"
                    + (f": {short(errors[0], 120)}" if errors else ""),
                )
            )
    finally:
        await runner.cleanup()
    return checks


async def button_checks(fake: FakeBotApi, state: Path, t: Texts, question: str, second: str) -> list[Check]:
    name = f"{FORGED_PRESSES} forged button presses (made-up answer ids, pages, votes, garbage)"
    cross = "a real answer's button pressed from another chat"
    answers_a = await say(fake, 501, question)
    answers_b = await say(fake, 502, second)
    keyed = [m for m in answers_a if m.get("reply_markup")]
    if not keyed or not answers_b:
        why = f"no answer with buttons to a question (got {[short(plain(m), 40) for m in answers_a]})"
        return [Check(name, False, why), Check(cross, False, why)]
    answer_a, answer_b = keyed[0], answers_b[-1]
    rows = answer_a["reply_markup"]["inline_keyboard"]
    data = [b["callback_data"] for row in rows for b in row if "callback_data" in b]
    real = next((d.split(":")[1] for d in data if d.count(":") == 2), "")
    rng = random.Random(7)
    alnum = string.ascii_letters + string.digits

    def rid(n: int = 16) -> str:
        return "".join(rng.choice(alnum) for _ in range(n))

    forms: list[Callable[[], str]] = [
        lambda: f"p:{rid()}:{rng.randint(0, 9)}",
        lambda: f"p:{real}:{rng.choice([5, 99, 99999, 10**12])}",
        lambda: f"p:{real}:-1",
        lambda: f"f:{rid()}:u",
        lambda: f"f:{rid()}:d",
        lambda: f"f:{real[:8]}{rid(8)}:u",
        lambda: f"f:{real}:x",
        lambda: f"p:{rid(8)}:0",
        lambda: f"s:{rng.randint(0, 10**9)}",
        lambda: f"u:{rid()}:r",
        lambda: f"u:{rid(8)}:c",
        lambda: "".join(rng.choice(string.printable[:94]) for _ in range(rng.randint(1, 64))),
        lambda: f"p:{rid(60)}:1",
        lambda: f"f:{real}:u",
    ]
    db = state / "bot.sqlite3"
    try:
        size_before = store_bytes(db)
    except sqlite3.Error as exc:
        size_before = -1
        print(f"  (bot.sqlite3 unreadable: {exc})", file=sys.stderr)
    ids = []
    for i in range(FORGED_PRESSES):
        payload = forms[i % len(forms)]()[:64]
        ids.append(fake.press_button(answer_a, payload, fake.make_user(10_000 + i), require_button=False))
    try:
        await fake.wait_for(lambda: all(q in fake.callback_answers for q in ids), timeout=120)
    except AssertionError:
        pass
    await asyncio.sleep(1.0)
    answered = [q for q in ids if q in fake.callback_answers]
    errors = [q for q in answered if fake.callback_answers[q].get("text") == t.error]
    try:
        growth = store_bytes(db) - size_before if size_before >= 0 else -1
    except sqlite3.Error:
        growth = -1
    ok = len(answered) == len(ids) and not errors and 0 <= growth < STORE_GROWTH_LIMIT
    checks = [
        Check(
            name,
            ok,
            f"{len(answered)}/{len(ids)} answered, {len(errors)} with the error text; "
            f"bot.sqlite3 grew by {growth / 1000:.1f} KB",
        )
    ]

    # answer A's button pressed on answer B's message (B's chat), by B
    target = next((d for d in data if d.startswith("p:")), None) or next((d for d in data if d.startswith("f:")), "")
    target = target or data[0]

    def edits_of_b() -> int:
        return sum(1 for e in fake.edits if e["message_id"] == answer_b["message_id"] and e["chat"]["id"] == 502)

    edits_before = edits_of_b()
    query = fake.press_button(answer_b, target, fake.make_user(502), require_button=False)
    try:
        await fake.wait_for(lambda: query in fake.callback_answers, timeout=30)
    except AssertionError:
        checks.append(Check(cross, False, f"no answer to the press of {target!r}"))
        return checks
    await asyncio.sleep(1.0)
    said = fake.callback_answers[query].get("text") or ""
    edited = edits_of_b() > edits_before
    refused = said in {t.not_this_chat, t.result_gone, t.unknown_button} and not edited
    checks.append(
        Check(
            cross,
            refused,
            f"{target[:2]}… answered {short(said, 60)!r}"
            + ("; B's message was edited with A's results" if edited else "; nothing shown"),
        )
    )
    return checks


async def upload_checks(fake: FakeBotApi, corpus: Path, t: Texts) -> list[Check]:
    originals = corpus_files(corpus)
    checks: list[Check] = []

    def refused_or_kept(name: str, reply: dict[str, Any] | None, kept: Callable[[], bool] | None = None) -> Check:
        if reply is None:
            return Check(name, False, "no reply")
        text = reply["now"]
        if text == t.error or not text.strip():
            return Check(name, False, f"error reply: {short(text)}")
        if kept is not None and not kept():
            return Check(name, False, f"not kept as expected; said: {short(text)}")
        return Check(name, True, f"said: {short(text)}")

    # a one-record passages.jsonl over the three-record one
    one = jsonl([(JSONL_RECORDS[0][0], JSONL_RECORDS[0][1], JSONL_RECORDS[0][2] + " হালনাগাদ।")])
    reply = await upload(fake, ADMIN, "passages.jsonl", one)
    ids_now = {json.loads(line)["id"] for line in (corpus / "passages.jsonl").read_text("utf-8").splitlines() if line}
    name = "admin upload: one-record passages.jsonl over a 3-article passages.jsonl"
    if ids_now != {r[0] for r in JSONL_RECORDS}:
        checks.append(
            Check(
                name,
                False,
                f"passages.jsonl now holds {sorted(ids_now)} without confirmation; "
                f"said: {short(reply['now'] if reply else '(nothing)')}",
            )
        )
    else:
        checks.append(refused_or_kept(name, reply))

    # my notes.md then my_notes.md: both kept
    first = note("আমার নোট এক", "প্রথম নোটে বাজারের দাম নিয়ে লেখা আছে।")
    second = note("আমার নোট দুই", "দ্বিতীয় নোটে আবহাওয়া নিয়ে লেখা আছে।")
    r1 = await upload(fake, ADMIN, "my notes.md", first)
    r2 = await upload(fake, ADMIN, "my_notes.md", second)
    contents = set(corpus_files(corpus).values())
    both = first in contents and second in contents
    said = f"said: {short(r1['now'] if r1 else '(nothing)', 50)} / {short(r2['now'] if r2 else '(nothing)', 50)}"
    checks.append(
        Check(
            "admin upload: `my notes.md` then `my_notes.md`",
            both and r1 is not None and r2 is not None,
            ("both kept; " if both else "not both kept; ") + said,
        )
    )

    # a 200-character Bengali file name
    long_name = ("বাংলাদেশেরখবর" * 20)[:200] + ".md"
    body = note("দীর্ঘ নামের ফাইল", "এই ফাইলের নাম দুইশো অক্ষরের।")
    reply = await upload(fake, ADMIN, long_name, body)
    temps = [p.name for p in corpus.rglob(".upload-*")]
    saved = body in corpus_files(corpus).values()
    check = refused_or_kept("admin upload: a 200-character Bengali file name", reply, lambda: saved and not temps)
    if temps:
        check.reason += f"; temp files left: {temps}"
    checks.append(check)

    # a non-UTF-8 file, an empty file, a 3 MB file
    checks.append(
        refused_or_kept(
            "admin upload: a non-UTF-8 file",
            await upload(
                fake,
                ADMIN,
                "latin1.md",
                "# Caf\xe9 na\xefve\n\nR\xe9sum\xe9 \xff\xfe \xe0 la carte.\n".encode("latin-1"),
            ),
        )
    )
    checks.append(refused_or_kept("admin upload: an empty file", await upload(fake, ADMIN, "empty.md", b"")))
    big = ("# বড় ফাইল\n\n" + "এটি একটি খুব বড় ফাইলের লেখা। " * 60_000).encode()[:BIG_UPLOAD]
    names_before = set(corpus_files(corpus))
    reply = await upload(fake, ADMIN, "big.md", big)
    checks.append(
        refused_or_kept(
            "admin upload: a 3 MB file (over SONDHANI_MAX_UPLOAD_BYTES)",
            reply,
            lambda: not any(Path(n).name.startswith("big") for n in set(corpus_files(corpus)) - names_before),
        )
    )

    # from a non-admin: refused, nothing saved
    names_before = set(corpus_files(corpus))
    reply = await upload(fake, 777, "intruder.md", note("অনুপ্রবেশ", "এই ফাইল রাখা উচিত নয়।"), timeout=20)
    added = set(corpus_files(corpus)) - names_before
    name = "upload from a non-admin"
    if added:
        checks.append(Check(name, False, f"saved {sorted(added)}"))
    elif reply is None:
        checks.append(Check(name, False, "nothing saved, but no reply"))
    else:
        checks.append(Check(name, reply["now"] == t.admin_only, f"nothing saved; said: {short(reply['now'])}"))

    # no article lost: every file the corpus had still has its bytes
    now = corpus_files(corpus)
    lost = [n for n, data in originals.items() if now.get(n) != data]
    checks.append(
        Check(
            "corpus after all the uploads",
            not lost,
            f"changed or gone: {lost}" if lost else f"all {len(originals)} original files intact",
        )
    )
    return checks


async def question_checks(fake: FakeBotApi, t: Texts) -> list[Check]:
    cases = (
        ("question: empty after strip", "  \u3000\t \n  "),
        ("question: 5,000 characters", ("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত? " * 200)[:5000]),
        ("question: emoji only", "😀🔥👍🏽🇧🇩❓"),
        (
            "question: RTL and zero-width characters",
            "\u202e\u200fইউক্রেন\u200b যুদ্ধে\u200c বেসামরিক\u200d আহতের\u2066 সংখ্যা\u2069 কত?\ufeff\u2067",
        ),
    )
    checks = []
    for n, (name, text) in enumerate(cases):
        replies = await say(fake, 601 + n, text)
        if not replies:
            checks.append(Check(name, False, "no reply"))
        elif any(plain(m) == t.error for m in replies):
            checks.append(Check(name, False, "the error reply"))
        else:
            checks.append(Check(name, True, f"said: {short(plain(replies[0]), 80)}"))
    user = fake.make_user(620)
    message = fake._new_user_message(fake.private_chat(user), user, None)
    message["dice"] = {"emoji": "🎲", "value": 4}
    fake._post_user_message(message)
    replies = await new_messages(fake, 620, 0, 8)
    if any(plain(m) == t.error for m in replies):
        checks.append(Check("a dice message", False, "the error reply"))
    else:
        checks.append(Check("a dice message", True, f"said: {short(plain(replies[0]), 80)}" if replies else "silence"))
    return checks


async def link_check(fake: FakeBotApi, t: Texts, port: int, hits: list[str]) -> Check:
    name = "a link from a non-admin (SONDHANI_FETCH_ALLOW_PRIVATE on)"
    replies = await say(fake, 630, f"http://127.0.0.1:{port}/news/1", timeout=30)
    await asyncio.sleep(2.0)
    if hits:
        return Check(name, False, f"the page server saw {len(hits)} request(s)")
    if any(plain(m) == t.error for m in replies):
        return Check(name, False, "never fetched, but the error reply")
    return Check(name, True, "never fetched; said: " + (short(plain(replies[0]), 70) if replies else "nothing"))


async def hostile_checks(
    tree: Path,
    fresh: Callable[[], tuple[Path, Path]],
    make_env: Callable[..., dict[str, str]],
    t: Texts,
    question: str,
    second_question: str,
) -> list[Check]:
    """Every hostile input: the webhook pair on one bot, everything else on another."""
    corpus, state = fresh()
    checks = await webhook_checks(tree, lambda **extra: make_env(corpus, state, **extra), state.parent)
    corpus, state = fresh()
    checks += await session_checks(
        tree,
        lambda **extra: make_env(corpus, state, **extra),
        corpus,
        state,
        state.parent,
        t,
        question,
        second_question,
    )
    return checks
