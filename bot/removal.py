"""Taking an article out of the corpus without losing it: its file is moved into `removed/` in the state
directory (never deleted, so an operator can put it back), and the caller runs an incremental index
update. Telegram-free: `sondhani remove` and the bot's /remove share it."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from retrieval import Article, CorpusError, load_corpus, parse_file

REMOVED_DIR = "removed"  # under the state directory


@dataclass(frozen=True)
class RemovalPlan:
    """The article to remove and the corpus file that holds it (and nothing else)."""

    doc_id: str
    file: Path
    title: str | None
    source: str | None
    published: str | None


def plan_removal(data_dir: Path, doc_id: str, indexed_file: str | None = None) -> RemovalPlan:
    """The file to move aside for `doc_id`. Raises CorpusError with the reason when there is no such
    article, or when its file holds other articles too (a .jsonl): that file must be edited instead.

    indexed_file: the file the index read the article from (SearchEngine.article_file): only that file
    is read. Without it, or when the file no longer holds the article, the whole corpus is read."""
    if indexed_file is not None:
        try:
            articles = parse_file(indexed_file, (data_dir / indexed_file).read_bytes()).articles
        except OSError:  # gone or unreadable since the index read it
            articles = []
        if any(a.doc_id == doc_id for a in articles):
            return _plan(data_dir, doc_id, articles)
    return _plan(data_dir, doc_id, load_corpus(data_dir).articles)


def _plan(data_dir: Path, doc_id: str, articles: list[Article]) -> RemovalPlan:
    found = [a for a in articles if a.doc_id == doc_id]
    if not found:
        raise CorpusError(f"no article with the id {doc_id!r} in the corpus")
    article = found[0]
    origin = article.origin.split(":", 1)[0]
    others = [a.doc_id for a in articles if a.origin.split(":", 1)[0] == origin and a.doc_id != doc_id]
    if others:
        raise CorpusError(
            f"{doc_id} is one of {len(others) + 1} articles in {origin}: remove its line from that file instead"
        )
    return RemovalPlan(doc_id, data_dir / origin, article.title, article.source, article.published)


def set_aside(plan: RemovalPlan, state_dir: Path, now: datetime | None = None) -> Path:
    """Move the plan's file into <state_dir>/removed/ under "<UTC time>-<name>"; returns the new path.
    Raises CorpusError when the file is gone or changed into something else meanwhile."""
    if not plan.file.is_file():
        raise CorpusError(f"{plan.file.name} is no longer in the corpus")
    folder = state_dir / REMOVED_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"{stamp}-{plan.file.name}"
    shutil.move(plan.file, target)  # a rename on one file system, a copy and delete across two
    return target


PENDING_SECONDS = 3600.0  # a /remove question's buttons work for an hour


@dataclass(frozen=True)
class PendingRemoval:
    """A /remove an admin was asked to confirm: only that admin, in that chat, within the hour."""

    plan: RemovalPlan
    user_id: int
    chat_id: int
    asked_at: float  # time.monotonic()
