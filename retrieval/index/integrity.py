"""Checking state files: a generation's files against the sizes and sha256 sums recorded when it was
written, and SQLite files with `PRAGMA quick_check`. A damaged file is never served or crash-looped on:
a generation that fails is rebuilt from the corpus, a damaged database is moved aside and started afresh.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from retrieval.records import Passage

log = logging.getLogger(__name__)
PASSAGES_ENTRY = ":passages"  # the manifest row of a generation's passage rows (size = their count)
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class FileEntry:
    """One recorded file of a generation: its path inside the generation directory, size and sha256."""

    name: str
    size: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(directory: Path) -> list[FileEntry]:
    """Every file under a generation directory, fsynced first: the catalog records it before the swap."""
    entries = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
        entries.append(FileEntry(path.relative_to(directory).as_posix(), path.stat().st_size, _sha256(path)))
    return entries


def passages_entry(passages: list[Passage]) -> FileEntry:
    """The passage rows as one manifest entry, so garbled catalog text is noticed like a garbled file."""
    digest = hashlib.sha256()
    for p in passages:
        fields = (p.passage_id, p.doc_id, str(p.ordinal), p.text, p.title, p.source, p.url, p.published)
        digest.update("\x1f".join(f or "" for f in fields).encode())
        digest.update(b"\x1e")
    return FileEntry(PASSAGES_ENTRY, len(passages), digest.hexdigest())


def verify(directory: Path, recorded: list[FileEntry]) -> str | None:
    """Why the files under `directory` differ from `recorded` (missing, extra size, other bytes), or None."""
    for entry in recorded:
        if entry.name == PASSAGES_ENTRY:
            continue
        path = directory / entry.name
        if not path.is_file():
            return f"{entry.name} is missing"
        size = path.stat().st_size
        if size != entry.size:
            return f"{entry.name} is {size} bytes, {entry.size} were written"
        if _sha256(path) != entry.sha256:
            return f"{entry.name} has other bytes than were written (sha256 differs)"
    return None


def sqlite_problem(path: Path) -> str | None:
    """Why an existing SQLite file cannot be trusted (not a database, malformed pages), or None.

    A missing file is no problem: it is created empty."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if [tuple(r) for r in rows] != [("ok",)]:
        return "; ".join(str(r[0]) for r in rows[:3])
    return None


def move_aside(path: Path) -> Path:
    """Rename a damaged file or directory (and an SQLite file's -wal/-shm) to `<name>.damaged-<UTC time>`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(target)
    for suffix in SQLITE_SIDE_FILES:
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target
