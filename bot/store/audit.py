"""The audit log: every admin action, allowed or refused, with who asked and where, so an admin can
see afterwards who tried what."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.store.connection import Connection


@dataclass(frozen=True)
class AuditRow:
    """One refused or allowed admin action."""

    at: float
    user_id: int | None
    username: str | None
    chat_id: int | None
    action: str
    allowed: bool
    detail: str


class AuditLog(Connection):
    """The store's audit rows."""

    async def audit(
        self,
        *,
        user_id: int | None,
        username: str | None,
        chat_id: int | None,
        action: str,
        allowed: bool,
        detail: str = "",
    ) -> None:
        """Append one row to the audit log."""
        async with self._transaction():
            await self._execute(
                "INSERT INTO audit_log (at, user_id, username, chat_id, action, allowed, detail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.time(), user_id, username, chat_id, action, int(allowed), detail),
            )

    async def audit_log(self, limit: int = 100) -> list[AuditRow]:
        """The latest audit rows, newest first."""
        async with self._db.execute(
            "SELECT at, user_id, username, chat_id, action, allowed, detail FROM audit_log ORDER BY id DESC LIMIT ?",
            (limit,),
        ) as cur:
            rows = await cur.fetchall()
        return [AuditRow(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]
