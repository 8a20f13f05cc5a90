"""Uploads held in the store while their admin decides whether one replaces a corpus file (the
"replace?" buttons carry only a token). The retention in Connection.prune forgets them after a day."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.store.connection import PENDING_UPLOAD_SECONDS, Connection
from bot.store.question_log import new_qid


@dataclass(frozen=True)
class PendingUpload:
    """An admin's upload waiting for the confirmation to replace a corpus file."""

    token: str
    at: float
    user_id: int
    chat_id: int
    file_name: str
    replaces_sha256: str
    data: bytes


class HeldUploads(Connection):
    """The store's uploads waiting for a decision."""

    async def hold_upload(self, user_id: int, chat_id: int, file_name: str, replaces_sha256: str, data: bytes) -> str:
        """Keep an upload until its admin confirms replacing a file; returns the token its buttons carry."""
        token = new_qid()
        async with self._transaction():
            await self._execute(
                "INSERT INTO pending_uploads (token, at, user_id, chat_id, file_name, replaces_sha256, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (token, time.time(), user_id, chat_id, file_name, replaces_sha256, data),
            )
        return token

    async def pending_upload(self, token: str) -> PendingUpload | None:
        """The upload held under token, or None when unknown or older than PENDING_UPLOAD_SECONDS."""
        async with self._db.execute(
            "SELECT at, user_id, chat_id, file_name, replaces_sha256, data FROM pending_uploads"
            " WHERE token = ? AND at >= ?",
            (token, time.time() - PENDING_UPLOAD_SECONDS),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else PendingUpload(token, row[0], row[1], row[2], row[3], row[4], bytes(row[5]))

    async def drop_upload(self, token: str) -> bool:
        """Forget a held upload; True for the one caller that removed it (a decision is made once)."""
        async with self._transaction():
            return await self._execute("DELETE FROM pending_uploads WHERE token = ?", (token,)) == 1
