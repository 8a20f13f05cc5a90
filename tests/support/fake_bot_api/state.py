"""The fake's state: chats, users, messages, files, queries and the queue of updates.

:class:`FakeBotState` holds everything the Bot API methods and the test-side helpers share, with
the bookkeeping both sides use (resolving chats, numbering and storing messages, queueing
updates). The mixins in the sibling modules add behaviour on top; :class:`FakeBotApi` combines
them.
"""

from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_bot_api.entities import _utf16_slice
from tests.support.fake_bot_api.errors import BotApiError, Json, bad_request
from tests.support.fake_bot_api.validation import inline_markup_of

_DEFAULT_ALLOWED_UPDATES = frozenset(
    "message edited_message channel_post edited_channel_post business_connection "
    "business_message edited_business_message deleted_business_messages inline_query "
    "chosen_inline_result callback_query shipping_query pre_checkout_query "
    "purchased_paid_media poll poll_answer my_chat_member chat_join_request chat_boost "
    "removed_chat_boost".split()
)


@dataclass
class StoredFile:
    """A file the fake can serve through getFile and the file download URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes = field(repr=False)

    def as_file(self) -> Json:
        """The Bot API File object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass(eq=False)
class _Poll:
    """One pending getUpdates (or the webhook sender) waiting for updates."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    superseded: bool = False


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Query:
    """An inline or callback query the bot may answer once, before it expires."""

    created: float
    answered: bool = False


class FakeBotState:
    """The attributes and shared bookkeeping of :class:`FakeBotApi` (documented there)."""

    def __init__(self, token: str, bot_username: str, bot_id: int) -> None:
        self.token = token
        self.bot_user: Json = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Sondhani Test",
            "username": bot_username,
        }
        self.calls: list[tuple[str, Json]] = []
        self.sent: list[Json] = []
        self.edits: list[Json] = []
        self.inline_answers: dict[str, Json] = {}
        self.callback_answers: dict[str, Json] = {}
        self.commands: dict[str, list[Json]] = {}
        self.commands_by_language: dict[tuple[str, str], list[Json]] = {}
        self.errors: list[tuple[str, int, str]] = []
        self.conflict = False
        self.privacy_mode = True
        self.strict_html = True
        self.query_ttl: float | None = 15.0
        self.webhook_retry_delay = 0.2
        self.member_status: dict[tuple[int, int], str] = {}
        self._updates: list[Json] = []
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] = _DEFAULT_ALLOWED_UPDATES
        self._polls: set[_Poll] = set()
        self._active_poll: _Poll | None = None
        self._chats: dict[int, Json] = {}
        self._users: dict[int, Json] = {bot_id: self.bot_user}
        self._blocked: set[int] = set()
        self._messages: dict[tuple[int, int], Json] = {}
        self._next_message_id: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_paths: dict[str, StoredFile] = {}
        self._inline_queries: dict[str, _Query] = {}
        self._callback_queries: dict[str, _Query] = {}
        self._next_query_id = 7_000_000_001
        self._webhook: _Webhook | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._closing = False

    # -- updates queue and files ----------------------------------------------------------------

    def _queue(self, kind: str, payload: Json) -> Json:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self._wake_polls()
        return update

    def _wake_polls(self) -> None:
        for poll in self._polls:
            poll.wake.set()

    def _store_file(self, folder: str, suffix: str, content: bytes) -> StoredFile:
        number = len(self._files) + 1
        stored = StoredFile(
            file_id=f"FAKE-{folder}-{number:06d}",
            file_unique_id=f"U{number:06d}",
            file_path=f"{folder}/file_{number}.{suffix}",
            content=content,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    # -- chats, messages, bookkeeping -----------------------------------------------------------

    def _remember(self, chat: Any, user: Any) -> None:
        if isinstance(chat, dict) and "id" in chat:
            self._chats[int(chat["id"])] = chat
        if isinstance(user, dict) and "id" in user:
            self._users[int(user["id"])] = user

    def _resolve_chat_id(self, chat_id: Any) -> int | None:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            for chat in self._chats.values():
                if str(chat.get("username", "")).lower() == wanted:
                    return int(chat["id"])
            return None
        try:
            return int(chat_id)
        except (TypeError, ValueError):
            return None

    def _chat(self, chat_id: Any) -> Json:
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        resolved = self._resolve_chat_id(chat_id)
        if resolved is None or resolved not in self._chats:
            if resolved in self._users and resolved != self.bot_user["id"]:
                raise BotApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        return self._chats[resolved]

    def _writable_chat(self, chat_id: Any) -> Json:
        chat = self._chat(chat_id)
        if chat["type"] == "private" and chat["id"] in self._blocked:
            raise BotApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _new_message_id(self, chat_id: int) -> int:
        number = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = number + 1
        return number

    def _new_query_id(self) -> str:
        self._next_query_id += 1
        return str(self._next_query_id)

    def _new_user_message(self, chat: Json, user: Json, reply_to: Json | None) -> Json:
        self._remember(chat, user)
        message: Json = {
            "message_id": self._new_message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
        }
        if reply_to is not None:
            message["reply_to_message"] = self._public(self._stored(reply_to))
            message["reply_to_message"].pop("reply_to_message", None)
        return message

    def _post_user_message(self, message: Json) -> Json:
        stored = copy.deepcopy(message)
        self._messages[(message["chat"]["id"], message["message_id"])] = stored
        if self._visible_to_bot(stored):
            self._queue("message", copy.deepcopy(stored))
        return message

    def _new_bot_message(self, chat: Json, replied: Json | None, params: Json) -> Json:
        record: Json = {
            "message_id": self._new_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        if replied is not None:
            record["reply_to_message"] = self._public(replied)
            record["reply_to_message"].pop("reply_to_message", None)
        record["parse_mode"] = params.get("parse_mode")
        record["reply_markup"] = params.get("reply_markup")
        self.sent.append(record)
        self._messages[(chat["id"], record["message_id"])] = record
        return record

    def _stored(self, message: Json) -> Json:
        stored = self._messages.get((message["chat"]["id"], message["message_id"]))
        if stored is None:
            key = (message["chat"]["id"], message["message_id"])
            raise ValueError(f"unknown or deleted message {key[1]} in chat {key[0]}")
        return stored

    def _public(self, record: Json) -> Json:
        """The Message object as Telegram returns it (without the fake's bookkeeping keys)."""
        public = {k: v for k, v in record.items() if k not in ("parse_mode", "reply_markup", "deleted")}
        markup = inline_markup_of(record.get("reply_markup"))
        if markup is not None:
            public["reply_markup"] = markup
        return copy.deepcopy(public)

    def _visible_to_bot(self, message: Json) -> bool:
        """Whether Telegram delivers this message to a bot in privacy mode."""
        if message["chat"]["type"] not in ("group", "supergroup") or not self.privacy_mode:
            return True
        replied = message.get("reply_to_message")
        if replied is not None and replied.get("from", {}).get("id") == self.bot_user["id"]:
            return True
        text = message.get("text") or message.get("caption") or ""
        for entity in message.get("entities", []) + message.get("caption_entities", []):
            if entity["type"] != "bot_command":
                continue
            command = _utf16_slice(text, entity["offset"], entity["length"])
            _, _, target = command.partition("@")
            if target.lower() == self.bot_user["username"].lower() or (not target and entity["offset"] == 0):
                return True
        return False
