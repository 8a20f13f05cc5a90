"""Load test: many users asking the real bot at once, through the fake Bot API server.

    python -m tests.suites.load_test [--users 50] [--rounds 2] [--dense off|auto|on] [--unthrottled]

The bot runs as its own process (`bot.server.serve.run_bot`, exactly what `sondhani run` runs) over a copy of
data/articles in a temporary state directory, polling a FakeBotApi served by this process. In each
round every user sends one question at the same moment; a reply's latency runs from queueing the
update at the fake server to the bot's reply arriving there. Prints answered, errors, p50/p95.

By default the bot keeps PTB's production AIORateLimiter (30 messages/s overall, as Telegram
allows); --unthrottled lifts it to measure the bot alone. The fake server itself throttles nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval import BUNDLED_MODEL, EngineConfig, SearchEngine
from tests.support.fake_bot_api import FakeBotApi
from tests.support.paths import REPO as ROOT

QUESTIONS = (
    "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?",
    "উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?",
    "পুতিন কিম জং উনকে চিঠিতে কী আহ্বান জানিয়েছেন?",
    "পিয়ংইয়ংয়ে স্বাক্ষরিত চুক্তিকে কিম জং-উন কী বলে অভিহিত করেছেন?",
    "ইউক্রেন সংকটে পিয়ংইয়ং কাকে সমর্থন করবে?",
    "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?",  # not in the corpus: the no-answer path
)
ERROR_MARK = "সমস্যা হয়েছে"  # the error handler's apology
NO_ANSWER_MARK = "খুঁজে পাইনি"
BOT_SCRIPT = """
import logging, sys
from telegram.ext import AIORateLimiter
from bot.server.serve import run_bot
from bot.settings import Settings
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
limiter = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=5) if sys.argv[1] == "unthrottled" else None
sys.exit(run_bot(Settings(_env_file=None), rate_limiter=limiter))
"""


@dataclass
class Round:
    """What one burst of questions produced."""

    latencies: list[float] = field(default_factory=list)
    with_passages: int = 0
    no_answer: int = 0
    errors: int = 0
    timeouts: int = 0


async def ask_round(fake: FakeBotApi, users: list[dict[str, Any]], number: int, timeout: float) -> Round:
    """Every user asks one question at once; wait for all replies."""
    pending: dict[tuple[int, int], tuple[float, str]] = {}
    seen = len(fake.sent)
    for i, user in enumerate(users):
        question = QUESTIONS[(i + number) % len(QUESTIONS)]
        message = fake.send_message(fake.private_chat(user), user, question)
        pending[(message["chat"]["id"], message["message_id"])] = (time.perf_counter(), question)
    result = Round()
    deadline = time.perf_counter() + timeout
    while pending and time.perf_counter() < deadline:
        now = time.perf_counter()
        for sent in fake.sent[seen:]:
            replied = sent.get("reply_to_message")
            key = (sent["chat"]["id"], replied["message_id"]) if replied else None
            if key in pending:
                started, _ = pending.pop(key)
                result.latencies.append(now - started)
                text = sent.get("text", "")
                if ERROR_MARK in text:
                    result.errors += 1
                elif NO_ANSWER_MARK in text:
                    result.no_answer += 1
                else:
                    result.with_passages += 1
        seen = len(fake.sent)
        await asyncio.sleep(0.002)
    result.timeouts = len(pending)
    return result


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


async def main(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="sondhani-load-") as tmp:
        data_dir, state_dir = Path(tmp) / "articles", Path(tmp) / "state"
        shutil.copytree(ROOT / "data" / "articles", data_dir)
        config = EngineConfig(
            data_dir=data_dir,
            state_dir=state_dir,
            dense_mode=args.dense,
            embedding_model=None if args.dense == "off" else BUNDLED_MODEL,
            embedding_threads=args.threads,
        )
        started = time.perf_counter()
        with SearchEngine.open(config) as engine:
            report = engine.reindex()
        seconds = time.perf_counter() - started
        print(f"indexed {report.articles} articles, {report.passages} passages in {seconds:.1f} s")
        async with FakeBotApi() as fake:
            log_path = Path(tmp) / "bot.log"
            with log_path.open("wb") as log:
                process = await start_bot(fake, data_dir, state_dir, args, log)
                try:
                    code = await run_rounds(fake, args)
                finally:
                    process.terminate()
                    await asyncio.wait_for(process.wait(), 60)
            bot_log = log_path.read_text(encoding="utf-8", errors="replace")
            logged_errors = [line for line in bot_log.splitlines() if " ERROR " in line or "Traceback" in line]
            api_errors = [e for e in fake.errors if e[0] != "getUpdates"]
            print(
                f"bot exit code {process.returncode}; error lines in its log: {len(logged_errors)}; "
                f"Bot API errors: {len(api_errors)}"
            )
            if logged_errors:
                lines = bot_log.splitlines()
                first = next(i for i, line in enumerate(lines) if " ERROR " in line or "Traceback" in line)
                print("first error in the bot's log:\n    " + "\n    ".join(lines[first : first + 30]))
            return code if process.returncode == 0 else 1


async def start_bot(fake: FakeBotApi, data_dir: Path, state_dir: Path, args: argparse.Namespace, log: Any) -> Any:
    """The bot as its own process, polling the fake server; returns once it polls."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "SONDHANI_TELEGRAM_API_URL": fake.root_url,
        "SONDHANI_DATA_DIR": str(data_dir),
        "SONDHANI_STATE_DIR": str(state_dir),
        "SONDHANI_DENSE": args.dense,
        "SONDHANI_EMBEDDING_THREADS": str(args.threads),
        "SONDHANI_WEBHOOK_URL": "",
        "SONDHANI_USER_QUESTIONS_PER_MINUTE": str(max(10, args.rounds)),
    }
    mode = "unthrottled" if args.unthrottled else "production"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", BOT_SCRIPT, mode, cwd=ROOT, env=env, stdout=log, stderr=log
    )
    await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), timeout=300)
    return process


async def run_rounds(fake: FakeBotApi, args: argparse.Namespace) -> int:
    users = [fake.make_user(10_000 + i, first_name=f"User{i}") for i in range(args.users)]
    rounds = []
    for number in range(args.rounds):
        result = await ask_round(fake, users, number, args.timeout)
        rounds.append(result)
        print(
            f"round {number + 1}: {len(result.latencies)}/{args.users} replied, "
            f"p50 {statistics.median(result.latencies):.3f} s, max {max(result.latencies):.3f} s"
            if result.latencies
            else f"round {number + 1}: no replies"
        )
    latencies = [x for r in rounds for x in r.latencies]
    asked = args.users * args.rounds
    answered = sum(r.with_passages + r.no_answer for r in rounds)
    errors = sum(r.errors + r.timeouts for r in rounds)
    print(
        f"\n{args.users} users x {args.rounds} rounds = {asked} questions "
        f"({'no PTB throttling' if args.unthrottled else 'PTB AIORateLimiter at 30 msg/s'}, dense {args.dense}, "
        f"{os.cpu_count()} CPUs)"
    )
    print(
        f"answered {answered}/{asked} (with passages {sum(r.with_passages for r in rounds)}, "
        f"no-answer message {sum(r.no_answer for r in rounds)}); errors {errors} "
        f"(error replies {sum(r.errors for r in rounds)}, no reply within {args.timeout:.0f} s "
        f"{sum(r.timeouts for r in rounds)})"
    )
    if latencies:
        print(
            f"reply latency: p50 {percentile(latencies, 50):.3f} s, p95 {percentile(latencies, 95):.3f} s, "
            f"max {max(latencies):.3f} s"
        )
    return 0 if errors == 0 else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50, help="simulated users (default 50)")
    parser.add_argument("--rounds", type=int, default=2, help="questions per user, one burst per round (default 2)")
    parser.add_argument("--dense", choices=("off", "auto", "on"), default="auto", help="dense search (default auto)")
    parser.add_argument("--threads", type=int, default=1, help="embedding threads (SONDHANI_EMBEDDING_THREADS)")
    parser.add_argument("--unthrottled", action="store_true", help="lift PTB's 30 msg/s overall limit")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a round's replies")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
