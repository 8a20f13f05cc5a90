"""The bot's own state in SQLite (aiosqlite, WAL): question log, result pages, feedback, audit log,
uploads waiting for an admin's confirmation, and the ids of messages already answered. The schema is
versioned with PRAGMA user_version (bot.store.schema).

One `Store` object holds the one connection (bot.store.connection); its methods come from one module
per kind of record: questions and votes (bot.store.question_log), held uploads (bot.store.held_uploads), the
audit log (bot.store.audit) and the /stats counts (bot.store.stats). The file stays bounded: everything
older than the retention period is deleted at start and then once a day.
"""

from __future__ import annotations

from bot.store.audit import AuditLog
from bot.store.held_uploads import HeldUploads
from bot.store.question_log import QuestionLog
from bot.store.stats import UsageStats

DB_NAME = "bot.sqlite3"


class Store(QuestionLog, HeldUploads, AuditLog, UsageStats):
    """Everything the bot keeps, over one connection: open it with `await Store.open(path)`."""
