"""A re-index long enough to interrupt, and `sondhani index` caught in the middle of its build: shared by
the tests that stop or kill a build and by tests/suites/fault_injection.py."""

from __future__ import annotations

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


def index_caught_mid_build(
    env: dict[str, str], cwd: Path, state_dir: Path, *, capture: bool = True
) -> subprocess.Popen[str]:
    """`sondhani index` started, returned a second after its new generation folder appeared (up to 2
    minutes): the build is then under way. The caller checks `poll()` before signalling it."""
    generations = state_dir / "generations"
    before = len(list(generations.iterdir())) if generations.is_dir() else 0
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "index"], env=env, cwd=cwd, stdout=output, stderr=output, text=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (len(list(generations.iterdir())) if generations.is_dir() else 0) == before:
        time.sleep(0.05)
    time.sleep(1.0)
    return process
