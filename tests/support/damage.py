"""Ways to damage a state file, shared by the damage tests and tests/suites/fault_injection.py."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any


def truncate(path: Path) -> None:
    path.write_bytes(b"")


def halve(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garble(path: Path) -> None:
    """Flip one bit in a few places past the header: same size, only a checksum (or SQLite's page
    checks) can tell."""
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data), max(len(data) // 5, 1)):
        data[i] ^= 0x01
    path.write_bytes(bytes(data))


def delete(path: Path) -> None:
    path.unlink()


DAMAGES: dict[str, Callable[[Path], None]] = {"truncate": truncate, "halve": halve, "garble": garble, "delete": delete}

# The files of the serving lexical index (tantivy): its commit files, then one file of each kind a
# segment has (by suffix: the first segment's), relative to the lexical folder; targets for the damages above.
LEXICAL_FILES = ("meta.json", ".managed.json", "*.term", "*.idx", "*.pos", "*.fast", "*.fieldnorm", "*.store")


def lexical_folders(state_dir: Path) -> list[str]:
    """The lexical index folders in a state directory (one per store; one when nothing is half-built)."""
    folder = state_dir / "lexical"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def lexical_file(state_dir: Path, name: str) -> Path:
    """A file of the (only) lexical index folder: by name, or "*.suffix" for the first segment's file."""
    (store,) = lexical_folders(state_dir)
    folder = state_dir / "lexical" / store
    if not name.startswith("*"):
        return folder / name
    return sorted(folder.glob(name))[0]


def serving_state(state_dir: Path) -> dict[str, Any]:
    """The catalog's serving pointer (update number, lexical store, collection, model), read directly."""
    db = sqlite3.connect(state_dir / "catalog.sqlite3")
    try:
        (raw,) = db.execute("SELECT value FROM meta WHERE key='serving'").fetchone()
    finally:
        db.close()
    state: dict[str, Any] = json.loads(raw)
    return state
