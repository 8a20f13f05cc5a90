"""The test side: users, chats and the updates a test queues for the bot."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.support.fake_bot_api.entities import detect_entities
from tests.support.fake_bot_api.errors import Json
from tests.support.fake_bot_api.state import FakeBotState, _Query
from tests.support.fake_bot_api.validation import inline_markup_of


class UpdateBuilders(FakeBotState):
    """Build users and chats and queue the updates a real user would cause."""

    # -- building updates -----------------------------------------------------------------------

    def make_user(
        self,
        user_id: int,
        first_name: str = "User",
        language_code: str | None = "bn",
        username: str | None = None,
    ) -> Json:
        """A User object (not yet known to the server until it appears in an update)."""
        user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username is not None:
            user["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def private_chat(self, user: Json) -> Json:
        """The private chat between ``user`` and the bot."""
        chat: Json = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
        return chat

    def group_chat(self, chat_id: int = -100123, title: str = "Group") -> Json:
        """A supergroup the bot is a member of."""
        return {"id": chat_id, "type": "supergroup", "title": title}

    def send_message(self, chat: Json, user: Json, text: str, *, reply_to: Json | None = None) -> Json:
        """Queue a ``message`` update with ``text`` (commands and mentions get entities)."""
        message = self._new_user_message(chat, user, reply_to)
        message["text"] = text
        entities = detect_entities(text)
        if entities:
            message["entities"] = entities
        return self._post_user_message(message)

    def edit_message(self, message: Json, new_text: str) -> Json:
        """Queue an ``edited_message`` update: the user edited ``message`` to ``new_text``."""
        stored = self._stored(message)
        if stored["from"]["id"] == self.bot_user["id"]:
            raise ValueError("edit_message simulates a user's edit; the bot edits through the API")
        stored["text"] = new_text
        stored["edit_date"] = int(time.time())
        stored.pop("entities", None)
        entities = detect_entities(new_text)
        if entities:
            stored["entities"] = entities
        if self._visible_to_bot(stored):
            self._queue("edited_message", copy.deepcopy(stored))
        return copy.deepcopy(stored)

    def send_document(
        self,
        chat: Json,
        user: Json,
        filename: str,
        content: bytes,
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> Json:
        """Queue a message with a document the bot can fetch through getFile and download."""
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = self._store_file("documents", suffix, content)
        message = self._new_user_message(chat, user, None)
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        if caption is not None:
            message["caption"] = caption
            entities = detect_entities(caption)
            if entities:
                message["caption_entities"] = entities
        return self._post_user_message(message)

    def send_sticker(self, chat: Json, user: Json) -> Json:
        """Queue a message with a sticker and no text."""
        stored = self._store_file("stickers", "webp", b"RIFF\x00\x00\x00\x00WEBP")
        message = self._new_user_message(chat, user, None)
        message["sticker"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
            "file_size": len(stored.content),
        }
        return self._post_user_message(message)

    def send_photo(self, chat: Json, user: Json) -> Json:
        """Queue a message with a photo (two sizes) and no text."""
        sizes = []
        for width, height in ((90, 60), (800, 533)):
            stored = self._store_file("photos", "jpg", b"\xff\xd8\xff\xe0" + bytes(width))
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(stored.content),
                }
            )
        message = self._new_user_message(chat, user, None)
        message["photo"] = sizes
        return self._post_user_message(message)

    def send_voice(self, chat: Json, user: Json) -> Json:
        """Queue a message with a voice note and no text."""
        stored = self._store_file("voice", "oga", b"OggS\x00\x02" + bytes(64))
        message = self._new_user_message(chat, user, None)
        message["voice"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": 2,
            "mime_type": "audio/ogg",
            "file_size": len(stored.content),
        }
        return self._post_user_message(message)

    def inline_query(self, user: Json, query: str) -> str:
        """Queue an ``inline_query`` update and return its id."""
        self._users[user["id"]] = user
        query_id = self._new_query_id()
        self._inline_queries[query_id] = _Query(created=time.monotonic())
        self._queue("inline_query", {"id": query_id, "from": user, "query": query, "offset": ""})
        return query_id

    def chosen_inline_result(self, user: Json, result_id: str, query: str) -> None:
        """Queue a ``chosen_inline_result`` update."""
        self._users[user["id"]] = user
        self._queue("chosen_inline_result", {"result_id": result_id, "from": user, "query": query})

    def press_button(self, message: Json, callback_data: str, user: Json, *, require_button: bool = True) -> str:
        """Queue a ``callback_query`` for a button of a bot message and return the query id.

        With ``require_button`` (the default) the message must currently show a button with this
        callback_data, as a real user can only press what is displayed.
        """
        stored = self._stored(message)
        if stored["from"]["id"] != self.bot_user["id"]:
            raise ValueError("callback queries come only from the bot's own messages")
        if require_button and callback_data not in _callback_data_of(stored.get("reply_markup")):
            raise ValueError(
                f"message {stored['message_id']} has no button with callback_data "
                f"{callback_data!r}; it shows {_callback_data_of(stored.get('reply_markup'))}"
            )
        self._users[user["id"]] = user
        query_id = self._new_query_id()
        self._callback_queries[query_id] = _Query(created=time.monotonic())
        self._queue(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "message": self._public(stored),
                "chat_instance": str(abs(stored["chat"]["id"]) * 7 + 13),
                "data": callback_data,
            },
        )
        return query_id

    def queue_raw_update(self, update: Json) -> None:
        """Queue an arbitrary update; an update_id is assigned when missing."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        for payload in update.values():
            if isinstance(payload, dict):
                self._remember(payload.get("chat"), payload.get("from"))
        self._updates.append(update)
        self._wake_polls()

    def block_bot(self, user: Json, blocked: bool = True) -> None:
        """Make sends to ``user``'s private chat fail with 403 "bot was blocked by the user"."""
        if blocked:
            self._blocked.add(user["id"])
        else:
            self._blocked.discard(user["id"])


def _callback_data_of(markup: Any) -> list[str]:
    inline = inline_markup_of(markup)
    if inline is None:
        return []
    return [b["callback_data"] for row in inline["inline_keyboard"] for b in row if "callback_data" in b]
