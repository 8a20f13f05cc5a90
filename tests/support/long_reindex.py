"""A re-index long enough to interrupt, and `sondhani index` caught in the middle of its build: shared by
the tests that stop or kill a build and by tests/suites/fault_injection.py."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

EXTRA_COPIES = 150  # new articles: with a model, embedding them takes far longer than a stop may


def add_copies(corpus: Path, count: int = EXTRA_COPIES) -> None:
    """`count` new articles, each a variant of a seed article, that the next re-index must embed."""
    seed = (corpus / "003_1606ac5bd632e0c6.md").read_text("utf-8")
    for i in range(count):
        (corpus / f"copy_{i:03}.md").write_text(seed.replace("পারস্পরিক", f"পারস্পরিক{i}"), "utf-8")


def update_under_way(state_dir: Path) -> bool:
    """The catalog records an index update begun and not finished (read-only: the indexer owns it)."""
    try:
        db = sqlite3.connect(f"file:{state_dir / 'catalog.sqlite3'}?mode=ro", uri=True, timeout=0.2)
        try:
            return bool(db.execute("SELECT COUNT(*) FROM updates WHERE finished_at IS NULL").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return False


def index_caught_mid_build(
    env: dict[str, str], cwd: Path, state_dir: Path, *, capture: bool = True, args: tuple[str, ...] = ("index",)
) -> subprocess.Popen[str]:
    """`sondhani index` started, returned a second after the catalog shows its update begun (up to 2
    minutes): the update is then under way. The caller checks `poll()` before signalling it."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args], env=env, cwd=cwd, stdout=output, stderr=output, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None and not update_under_way(state_dir):
        time.sleep(0.05)
    time.sleep(1.0)
    return process
