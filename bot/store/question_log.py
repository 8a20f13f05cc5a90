"""The question log: each answered question under a short random id (`qid`), its page of hits kept as
references, the votes on it, and the ids of messages already answered.

A qid is the only thing a button's callback_data carries, so the buttons of an answer keep working after
a restart. A page is stored as what it needs to be shown again, not as its passages: the passage ids
with their scores and highlight offsets, and the index generation they came from (about 0.3 KB a
question rather than 40 KB).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

from bot.store.connection import Connection
from retrieval import Hit


@dataclass(frozen=True)
class HitRef:
    """What a stored page keeps of one hit: the passage, its score, and where its highlight sits in it."""

    passage_id: str
    score: float
    highlight_start: int = -1  # -1: no highlight
    highlight_end: int = -1

    @classmethod
    def of(cls, hit: Hit) -> HitRef:
        """The reference to a hit; its highlight as offsets into the passage text."""
        start = hit.text.find(hit.highlight) if hit.highlight else -1
        return cls(hit.passage_id, round(hit.score, 4), start, start + len(hit.highlight) if start >= 0 else -1)


@dataclass(frozen=True)
class StoredQuestion:
    """A logged question and its hits (as references, best first), the index generation they came from
    (None: unknown, search again), and the chat it was answered in (None: inline, or logged before chats
    were known), so its buttons can refuse to act anywhere else."""

    qid: str
    question: str
    hits: list[HitRef]
    chat_id: int | None = None
    generation: str | None = None


@dataclass(frozen=True)
class QuestionRecord:
    """Where a question came from, for the log."""

    question: str
    source: str
    user_id: int | None = None
    chat_id: int | None = None
    chat_type: str | None = None
    chat_title: str | None = None
    message_id: int | None = None
    elapsed_ms: float | None = None


_INSERT_QUESTION = (
    "INSERT OR IGNORE INTO questions (qid, asked_at, user_id, chat_id, chat_type, chat_title, message_id,"
    " source, question, hit_count, elapsed_ms, generation, hits)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class QuestionLog(Connection):
    """The store's questions, their pages and votes, and the messages already answered."""

    async def claim_message(self, chat_id: int, message_id: int) -> bool:
        """True the first time a message (or any edit of it) is seen; False afterwards."""
        async with self._transaction():
            inserted = await self._execute(
                "INSERT OR IGNORE INTO answered_messages (chat_id, message_id, at) VALUES (?, ?, ?)",
                (chat_id, message_id, time.time()),
            )
        return inserted == 1

    async def save_question(
        self,
        record: QuestionRecord,
        hits: list[Hit],
        hit_count: int | None = None,
        qid: str | None = None,
        *,
        asked_at: float | None = None,
        generation: str | None = None,
    ) -> str:
        """Log a question with references to its hits; returns its id.

        hit_count: when hits were shown but are not kept (inline). qid: keep a known id (an answer
        recovered by another replica, or one the caller signed); an id already stored is left as it is.
        asked_at: a Unix time (UTC) other than now, for imports and tests. generation: the index
        generation the hits came from (a page of another generation is searched again).
        """
        qid = qid or new_qid()
        at = time.time() if asked_at is None else asked_at
        await self._prune_if_due()
        async with self._transaction():
            await self._execute(
                _INSERT_QUESTION,
                (
                    qid,
                    at,
                    record.user_id,
                    record.chat_id,
                    record.chat_type,
                    record.chat_title,
                    record.message_id,
                    record.source,
                    record.question,
                    len(hits) if hit_count is None else hit_count,
                    record.elapsed_ms,
                    generation,
                    _refs_json(hits),
                ),
            )
        return qid

    async def replace_hits(self, qid: str, hits: list[Hit], generation: str | None) -> None:
        """Store the hits a question got when searched again (the index changed since it was answered)."""
        async with self._transaction():
            await self._execute(
                "UPDATE questions SET hits = ?, generation = ? WHERE qid = ?", (_refs_json(hits), generation, qid)
            )

    async def question(self, qid: str) -> StoredQuestion | None:
        """A stored question with its hit references, or None when the id is unknown."""
        async with self._db.execute(
            "SELECT question, chat_id, generation, hits FROM questions WHERE qid = ?", (qid,)
        ) as cur:
            row = await cur.fetchone()
        if row is None:
            return None
        refs = [HitRef(str(r[0]), float(r[1]), int(r[2]), int(r[3])) for r in json.loads(row[3] or "[]")]
        return StoredQuestion(qid=qid, question=row[0], hits=refs, chat_id=row[1], generation=row[2])

    async def record_feedback(self, qid: str, user_id: int, value: int) -> bool:
        """Store (or change) one user's vote on a question; False when the question is unknown."""
        async with self._db.execute("SELECT 1 FROM questions WHERE qid = ?", (qid,)) as cur:
            if await cur.fetchone() is None:
                return False
        async with self._transaction():
            await self._execute(
                "INSERT INTO feedback (qid, user_id, value, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (qid, user_id) DO UPDATE SET value = excluded.value, voted_at = excluded.voted_at",
                (qid, user_id, value, time.time()),
            )
        return True


def new_qid() -> str:
    """A short random id of letters and digits (8 characters)."""
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")


def _refs_json(hits: list[Hit]) -> str:
    """The compact JSON of a page's hit references."""
    refs = [HitRef.of(h) for h in hits]
    return json.dumps(
        [[r.passage_id, r.score, r.highlight_start, r.highlight_end] for r in refs],
        ensure_ascii=False,
        separators=(",", ":"),
    )
