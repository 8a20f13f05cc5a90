"""Answer ids that any replica of the bot can recognise as its own without having stored them.

A button's callback_data carries an answer id, and a client can send any callback_data. An id is 8
random characters and an 8-character HMAC tag over them and the chat, keyed by the bot token (every
replica has it, no one else does). A made-up id, or a real one replayed in another chat, fails the
check: it costs one lookup and an alert, never a search or a row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from bot.store.question_log import new_qid

RANDOM_CHARS = 8
SIGNED_LENGTH = 16


def signing_key(bot_token: str) -> bytes:
    """The key answer ids are signed with, derived from the bot token."""
    return hashlib.sha256(b"sondhani answer id\0" + bot_token.encode()).digest()


def signed_qid(key: bytes, chat_id: int) -> str:
    """A new answer id for an answer in chat_id."""
    random_part = new_qid()
    return random_part + _tag(key, random_part, chat_id)


def is_signed(key: bytes, qid: str, chat_id: int) -> bool:
    """True when qid was made by `signed_qid` with this key for this chat."""
    if len(qid) != SIGNED_LENGTH:
        return False
    return hmac.compare_digest(qid[RANDOM_CHARS:], _tag(key, qid[:RANDOM_CHARS], chat_id))


def _tag(key: bytes, random_part: str, chat_id: int) -> str:
    digest = hmac.new(key, f"{random_part}:{chat_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:6]).decode().replace("-", "x").replace("_", "y")
