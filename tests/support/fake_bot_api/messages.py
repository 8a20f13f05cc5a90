"""Bot API methods on messages: sendMessage, sendDocument, editing and deleting."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.support.fake_bot_api.decoding import UploadedFile
from tests.support.fake_bot_api.entities import render_text
from tests.support.fake_bot_api.errors import NOT_MODIFIED, Json, bad_request
from tests.support.fake_bot_api.state import FakeBotState, StoredFile
from tests.support.fake_bot_api.validation import (
    MAX_CAPTION_LENGTH,
    MAX_MESSAGE_LENGTH,
    as_int,
    check_length,
    check_reply_markup,
    inline_markup_of,
)


class MessageMethods(FakeBotState):
    """The methods that send, edit and delete the bot's messages."""

    # -- messages -------------------------------------------------------------------------------

    async def _send_message(self, params: Json) -> Json:
        chat = self._writable_chat(params.get("chat_id"))
        text, entities = self._message_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        replied = self._replied_message(chat, params)
        record = self._new_bot_message(chat, replied, params)
        record["text"] = text
        if entities:
            record["entities"] = entities
        return self._public(record)

    async def _send_document(self, params: Json) -> Json:
        chat = self._writable_chat(params.get("chat_id"))
        stored, name, mime = self._document_param(params.get("document"))
        caption, entities = self._caption(params)
        check_reply_markup(params.get("reply_markup"))
        replied = self._replied_message(chat, params)
        record = self._new_bot_message(chat, replied, params)
        record["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": name,
            "mime_type": mime,
            "file_size": len(stored.content),
        }
        if caption:
            record["caption"] = caption
        if entities:
            record["caption_entities"] = entities
        return self._public(record)

    def _document_param(self, document: Any) -> tuple[StoredFile, str, str]:
        if isinstance(document, UploadedFile):
            if not document.content:
                raise bad_request("file must be non-empty")
            suffix = document.filename.rsplit(".", 1)[-1] if "." in document.filename else "bin"
            stored = self._store_file("documents", suffix, document.content)
            return stored, document.filename, document.mime_type
        if isinstance(document, str) and document in self._files:
            stored = self._files[document]
            return stored, stored.file_path.rsplit("/", 1)[-1], "application/octet-stream"
        if document is None or document == "":
            raise bad_request("there is no document in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _caption(self, params: Json) -> tuple[str, list[Json]]:
        raw = params.get("caption")
        if raw is None:
            return "", []
        caption, entities = render_text(
            str(raw),
            params.get("parse_mode"),
            params.get("caption_entities"),
            strict=self.strict_html,
        )
        check_length(caption, MAX_CAPTION_LENGTH, empty=None, too_long="message caption is too long")
        return caption, entities

    def _message_text(self, raw: Any, parse_mode: Any, entities: Any) -> tuple[str, list[Json]]:
        if raw is None or raw == "":
            raise bad_request("message text is empty")
        text, parsed = render_text(str(raw), parse_mode, entities, strict=self.strict_html)
        check_length(text, MAX_MESSAGE_LENGTH, empty="message text is empty", too_long="message is too long")
        return text, parsed

    def _replied_message(self, chat: Json, params: Json) -> Json | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
            target_chat = reply.get("chat_id", chat["id"])
        elif params.get("reply_to_message_id") is not None:
            message_id, allow = (
                params["reply_to_message_id"],
                params.get("allow_sending_without_reply"),
            )
            target_chat = chat["id"]
        else:
            return None
        target = self._resolve_chat_id(target_chat)
        found = None
        if target is not None and message_id is not None:
            found = self._messages.get((target, int(message_id)))
        if found is None and not allow:
            raise bad_request("message to be replied not found")
        return found

    async def _edit_message_text(self, params: Json) -> Json:
        record = self._editable(params)
        if "text" not in record:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._message_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        markup = params.get("reply_markup")
        self._check_edit_markup(markup)
        current = (
            record["text"],
            record.get("entities", []),
            inline_markup_of(record.get("reply_markup")),
        )
        if current == (text, entities, markup):
            raise bad_request(NOT_MODIFIED)
        record["text"] = text
        record.pop("entities", None)
        if entities:
            record["entities"] = entities
        record["parse_mode"] = params.get("parse_mode")
        return self._finish_edit(record, markup, "editMessageText")

    async def _edit_message_reply_markup(self, params: Json) -> Json:
        record = self._editable(params)
        markup = params.get("reply_markup")
        self._check_edit_markup(markup)
        if inline_markup_of(record.get("reply_markup")) == markup:
            raise bad_request(NOT_MODIFIED)
        return self._finish_edit(record, markup, "editMessageReplyMarkup")

    def _check_edit_markup(self, markup: Any) -> None:
        if markup is not None and inline_markup_of(markup) is None:
            raise bad_request("inline keyboard expected")
        check_reply_markup(markup)

    def _editable(self, params: Json) -> Json:
        if params.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat(params.get("chat_id"))
        message_id = as_int(params, "message_id", "message to edit not found")
        record = self._messages.get((chat["id"], message_id))
        if record is None:
            raise bad_request("message to edit not found")
        if record["from"]["id"] != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return record

    def _finish_edit(self, record: Json, markup: Any, method: str) -> Json:
        record["reply_markup"] = markup
        record["edit_date"] = int(time.time())
        self.edits.append({**copy.deepcopy(record), "method": method})
        return self._public(record)

    async def _delete_message(self, params: Json) -> bool:
        chat = self._chat(params.get("chat_id"))
        message_id = as_int(params, "message_id", "message to delete not found")
        record = self._messages.pop((chat["id"], message_id), None)
        if record is None:
            raise bad_request("message to delete not found")
        record["deleted"] = True
        return True
