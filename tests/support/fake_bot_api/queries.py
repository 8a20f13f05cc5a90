"""Bot API methods answering queries: answerCallbackQuery and answerInlineQuery."""

from __future__ import annotations

import time
from typing import Any

from tests.support.fake_bot_api.entities import utf16_length
from tests.support.fake_bot_api.errors import QUERY_TOO_OLD, Json, bad_request
from tests.support.fake_bot_api.messages import MessageMethods
from tests.support.fake_bot_api.state import _Query
from tests.support.fake_bot_api.validation import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_INLINE_RESULTS,
    MAX_NEXT_OFFSET_BYTES,
    MAX_RESULT_ID_BYTES,
    check_inline_keyboard,
    inline_markup_of,
)


class QueryMethods(MessageMethods):
    """Answers to inline and callback queries (inline results reuse the message text checks)."""

    # -- queries --------------------------------------------------------------------------------

    async def _answer_callback_query(self, params: Json) -> bool:
        text = params.get("text")
        if text is not None and utf16_length(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query_id = str(params.get("callback_query_id"))
        self._take_query(self._callback_queries, query_id)
        self.callback_answers[query_id] = params
        return True

    async def _answer_inline_query(self, params: Json) -> bool:
        results = params.get("results")
        if not isinstance(results, list):
            raise bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            self._check_inline_result(result, seen)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode("utf-8")) > MAX_NEXT_OFFSET_BYTES:
            raise bad_request("NEXT_OFFSET_INVALID")
        query_id = str(params.get("inline_query_id"))
        self._take_query(self._inline_queries, query_id)
        self.inline_answers[query_id] = params
        return True

    def _check_inline_result(self, result: Any, seen: set[str]) -> None:
        prefix = "can't parse inline query result: "
        if not isinstance(result, dict):
            raise bad_request(prefix + "InlineQueryResult must be an Object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode("utf-8")) <= MAX_RESULT_ID_BYTES:
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if "type" not in result:
            raise bad_request(prefix + 'Can\'t find field "type"')
        if result["type"] == "article":
            for required in ("title", "input_message_content"):
                if required not in result:
                    raise bad_request(prefix + f'Can\'t find field "{required}"')
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            self._message_text(content["message_text"], content.get("parse_mode"), content.get("entities"))
        if "reply_markup" in result:
            if inline_markup_of(result["reply_markup"]) is None:
                raise bad_request(prefix + "inline keyboard expected")
            check_inline_keyboard(result["reply_markup"])

    def _take_query(self, queries: dict[str, _Query], query_id: str) -> None:
        query = queries.get(query_id)
        expired = query is not None and self.query_ttl is not None and time.monotonic() - query.created > self.query_ttl
        if query is None or query.answered or expired:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        query.answered = True
