"""A fake Telegram Bot API server for end-to-end tests of the bot, over real HTTP.

The server speaks the Bot API wire protocol the way python-telegram-bot uses it: requests arrive as
``POST /bot<token>/<method>`` with form-encoded fields (nested objects such as ``reply_markup``,
``scope`` and ``results`` as JSON strings), multipart when files are uploaded, or a JSON body; every
answer is ``{"ok": true, "result": ...}`` or an error object whose HTTP status carries the meaning,
because PTB maps the status (400 BadRequest, 401/404 InvalidToken, 403 Forbidden, 409 Conflict,
429 + ``parameters.retry_after`` RetryAfter) and not the ``ok`` field.

Tests build updates with :class:`FakeBotApi` (``send_message``, ``press_button``,
``inline_query``...), the bot fetches them with ``getUpdates`` (long polling) or receives them on
its webhook, and tests then observe what the bot did through ``calls``, ``sent``, ``edits``,
``inline_answers``... Telegram's limits are enforced with its own error texts, so a reply that
Telegram would reject fails here too.

Where this fake deliberately differs from Telegram (see :attr:`FakeBotApi.strict_html`): a bare
``&``, an entity without ``;`` and ``<a>`` without ``href`` are rejected, where Telegram quietly
accepts them; a webhook may use plain ``http://``; only ``parse_mode`` HTML is implemented.

The package, one job per module: ``server`` (the aiohttp app, lifecycle and method dispatch;
:class:`FakeBotApi` combines the mixins below), ``state`` (chats, users, messages, files, queries,
the update queue and the observation lists), ``builders`` and ``observing`` (the test side:
queueing updates, looking at what the bot did), ``delivery`` (getUpdates and the webhook),
``messages``, ``queries`` and ``simple_methods`` (the other Bot API methods), ``decoding``
(request parameters), ``validation`` (limits and keyboards), ``html`` (Telegram's HTML parse
mode), ``entities`` (UTF-16 offsets, parse_mode rendering, entities of user text) and ``errors``
(BotApiError and Telegram's error texts).
"""

from __future__ import annotations

from tests.support.fake_bot_api.decoding import UploadedFile, decode_value
from tests.support.fake_bot_api.entities import detect_entities, render_text, utf16_length
from tests.support.fake_bot_api.errors import (
    CONFLICT_POLLING,
    CONFLICT_WEBHOOK,
    NOT_MODIFIED,
    QUERY_TOO_OLD,
    BotApiError,
    Json,
    bad_request,
)
from tests.support.fake_bot_api.html import HtmlParseError, parse_html
from tests.support.fake_bot_api.server import FakeBotApi, Handler
from tests.support.fake_bot_api.state import StoredFile
from tests.support.fake_bot_api.validation import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_DOWNLOAD_SIZE,
    MAX_INLINE_RESULTS,
    MAX_MESSAGE_LENGTH,
    MAX_RESULT_ID_BYTES,
    as_int,
    check_inline_button,
    check_inline_keyboard,
    check_length,
    check_reply_markup,
    inline_markup_of,
)

__all__ = [
    "CONFLICT_POLLING",
    "CONFLICT_WEBHOOK",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_DOWNLOAD_SIZE",
    "MAX_INLINE_RESULTS",
    "MAX_MESSAGE_LENGTH",
    "MAX_RESULT_ID_BYTES",
    "NOT_MODIFIED",
    "QUERY_TOO_OLD",
    "BotApiError",
    "FakeBotApi",
    "Handler",
    "HtmlParseError",
    "Json",
    "StoredFile",
    "UploadedFile",
    "as_int",
    "bad_request",
    "check_inline_button",
    "check_inline_keyboard",
    "check_length",
    "check_reply_markup",
    "decode_value",
    "detect_entities",
    "inline_markup_of",
    "parse_html",
    "render_text",
    "utf16_length",
]
