"""Checking state files: the lexical index's files against the sizes and sha256 sums recorded after each
commit, and SQLite files with `PRAGMA quick_check`. A damaged file is never served or crash-looped on:
a lexical index that fails is rebuilt from the corpus, a damaged database is moved aside and started afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
ALWAYS_CHECKED = ("meta.json", ".managed.json")  # tantivy rewrites these at every commit


@dataclass(frozen=True)
class FileEntry:
    """One recorded file of a lexical index folder: its name, size and sha256."""

    name: str
    size: int
    sha256: str


def file_sha256(path: Path) -> str:
    """A file's sha256, read in 1 MB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_of(directory: Path, files: Sequence[Path], recorded: Mapping[str, FileEntry]) -> list[FileEntry]:
    """Entries for the files of a lexical index after a commit, fsynced first. Segment files never change
    once written (tantivy names them by segment and opstamp), so one recorded with its size is kept as
    it is; the files tantivy rewrites at each commit are hashed again."""
    entries = []
    for path in files:
        size = path.stat().st_size
        known = recorded.get(path.name)
        if known is not None and known.size == size and path.name not in ALWAYS_CHECKED:
            continue
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
        entries.append(FileEntry(path.relative_to(directory).as_posix(), size, file_sha256(path)))
    return entries


def live_segments(directory: Path) -> set[str]:
    """The ids of the segments the index's last commit uses, as tantivy names their files (no dashes).
    Raises ValueError (or OSError) when meta.json is not a readable tantivy meta file."""
    meta = json.loads((directory / "meta.json").read_text("utf-8"))
    return {str(s["segment_id"]).replace("-", "") for s in meta["segments"]}


def live_files(directory: Path, segments: set[str]) -> list[str]:
    """The files on disk the last commit uses: meta.json, .managed.json and its segments' files."""
    names = [name for name in ALWAYS_CHECKED if (directory / name).exists()]
    names += [p.name for p in directory.iterdir() if p.is_file() and p.name.split(".", 1)[0] in segments]
    return sorted(names)


def verify(directory: Path, recorded: Sequence[FileEntry]) -> str | None:
    """Why the files the index's last commit uses differ from `recorded` (missing, not recorded, another
    size, other bytes), or None."""
    known = {entry.name: entry for entry in recorded}
    try:
        segments = live_segments(directory)
    except FileNotFoundError:
        return "meta.json is missing"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"meta.json cannot be read ({type(exc).__name__})"
    expected = {n for n in known if n in ALWAYS_CHECKED or n.split(".", 1)[0] in segments}
    for name in sorted(expected | set(live_files(directory, segments))):
        path = directory / name
        entry = known.get(name)
        if entry is None:
            return f"{name} was not written by a recorded commit"
        if not path.is_file():
            return f"{name} is missing"
        size = path.stat().st_size
        if size != entry.size:
            return f"{name} is {size} bytes, {entry.size} were written"
        if file_sha256(path) != entry.sha256:
            return f"{name} has other bytes than were written (sha256 differs)"
    return None


def sqlite_problem(path: Path, full: bool = True) -> str | None:
    """Why an existing SQLite file cannot be trusted (not a database, malformed pages), or None.

    full=False reads only the header and the schema (cheap for any size); `PRAGMA quick_check` reads
    every page. A missing file is no problem: it is created empty."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if not full:
                db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                return None
            rows = db.execute("PRAGMA quick_check").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if [tuple(r) for r in rows] != [("ok",)]:
        return _one_line(rows)
    return None


def _one_line(rows: list[tuple[object, ...]]) -> str:
    """quick_check's findings on one line (it prefixes them with "*** in database main ***")."""
    lines = [line for r in rows for line in str(r[0]).splitlines() if line and not line.startswith("***")]
    return "; ".join(lines[:3])


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
