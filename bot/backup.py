"""Backing up and restoring a state directory, while the bot runs.

What a backup holds, and why:
- `catalog.sqlite3` (the index catalog: articles, passages, stories, and the embedding cache) and
  `bot.sqlite3` (questions, votes, audit log), each copied with SQLite's online backup API: a consistent
  copy even while the running bot writes them, without its state-directory lock.
- `feeds.json` (what each feed has been seen to hold) and `removed/` (articles /remove set aside).
- `added/`: the articles the product saved itself (from links, feeds and uploads, in the corpus
  folder's added/), which exist nowhere else.
- `manifest.json`: when, by which version, and the corpus folder it indexed.

What it leaves out: the lexical index (tantivy) and Chroma's folder. They are derived data, and copying
files that another process may be writing gives no consistent copy; a restore rebuilds both from the
corpus, with the restored embedding cache, so nothing is embedded again. The corpus itself is not in the
backup: it is the operator's folder of source files (see docs/deploy.md), apart from added/.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.removal import REMOVED_DIR
from retrieval import ADDED_FOLDER

CATALOG = "catalog.sqlite3"  # retrieval's catalog file in the state directory (SearchEngine.open)
BOT_DB = "bot.sqlite3"  # bot.store.DB_NAME
FEEDS = "feeds.json"  # bot.jobs.feed_poller.STATE_NAME
MANIFEST = "manifest.json"
DATABASES = (CATALOG, BOT_DB)


class BackupError(Exception):
    """A backup or restore cannot be done; the message says why in one line."""


@dataclass(frozen=True)
class BackupReport:
    """What was copied: file names and their sizes in bytes."""

    files: dict[str, int]


def copy_database(source: Path, target: Path) -> None:
    """Copy one SQLite database with the online backup API (consistent while others write it)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def back_up(state_dir: Path, target: Path, *, version: str, data_dir: Path) -> BackupReport:
    """Write a backup of state_dir into target, a new or empty directory."""
    if not (state_dir / CATALOG).is_file():
        raise BackupError(f"nothing to back up: {state_dir} holds no index catalog ({CATALOG})")
    _empty_dir(target, "backup")
    for name in DATABASES:
        if (state_dir / name).is_file():
            copy_database(state_dir / name, target / name)
    if (state_dir / FEEDS).is_file():
        shutil.copy2(state_dir / FEEDS, target / FEEDS)
    if (state_dir / REMOVED_DIR).is_dir():
        shutil.copytree(state_dir / REMOVED_DIR, target / REMOVED_DIR)
    if (data_dir / ADDED_FOLDER).is_dir():
        shutil.copytree(data_dir / ADDED_FOLDER, target / ADDED_FOLDER, ignore=shutil.ignore_patterns(".*"))
    files = _sizes(target)
    manifest = {
        "version": version,
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "state_dir": str(state_dir.resolve()),
        "data_dir": str(data_dir.resolve()),
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return BackupReport(files)


def restore(source: Path, state_dir: Path, data_dir: Path) -> BackupReport:
    """Copy a backup into state_dir, which must be new or empty, and its added/ articles back into
    data_dir/added/ (a file already there is kept, never overwritten); the caller then re-indexes."""
    if not (source / MANIFEST).is_file() or not (source / CATALOG).is_file():
        raise BackupError(f"{source} is not a Sondhani backup (no {MANIFEST} and {CATALOG})")
    _empty_dir(state_dir, "restore into")
    for name in DATABASES:
        if (source / name).is_file():
            copy_database(source / name, state_dir / name)
    if (source / FEEDS).is_file():
        shutil.copy2(source / FEEDS, state_dir / FEEDS)
    if (source / REMOVED_DIR).is_dir():
        shutil.copytree(source / REMOVED_DIR, state_dir / REMOVED_DIR)
    files = _sizes(state_dir)
    if (source / ADDED_FOLDER).is_dir():
        (data_dir / ADDED_FOLDER).mkdir(parents=True, exist_ok=True)
        for path in sorted((source / ADDED_FOLDER).iterdir()):
            target = data_dir / ADDED_FOLDER / path.name
            if path.is_file() and not target.exists():
                shutil.copy2(path, target)
                files[f"{ADDED_FOLDER}/{path.name}"] = path.stat().st_size
    return BackupReport(files)


def _empty_dir(path: Path, what: str) -> None:
    """Make path an empty directory, or refuse: a backup or restore never overwrites anything."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BackupError(f"cannot {what} {path}: it exists and is not an empty directory")
    path.mkdir(parents=True, exist_ok=True)


def _sizes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}
