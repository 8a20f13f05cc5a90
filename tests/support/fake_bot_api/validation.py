"""Telegram's limits and the checks of keyboards, lengths and integer parameters."""

from __future__ import annotations

import re
from typing import Any

from tests.support.fake_bot_api.entities import utf16_length
from tests.support.fake_bot_api.errors import Json, bad_request

# Written from the Bot API documentation, deliberately not from python-telegram-bot's constants (the bot
# uses those): the fake checks the bot, so a wrong limit in the library it uses would not go unnoticed.
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
MAX_NEXT_OFFSET_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024

_BUTTON_ACTIONS = tuple(
    "url callback_data web_app login_url switch_inline_query "
    "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
    "callback_game pay".split()
)


def check_reply_markup(markup: Any) -> None:
    """Validate a reply_markup object the way the Bot API does."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        check_inline_keyboard(markup)
    elif not any(key in markup for key in ("keyboard", "remove_keyboard", "force_reply")):
        raise bad_request("can't parse reply keyboard markup JSON object")


def check_inline_keyboard(markup: Json) -> None:
    """Validate an InlineKeyboardMarkup: rows of buttons with text and exactly one action."""
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for row in rows:
        for button in row:
            check_inline_button(button)


def check_inline_button(button: Any) -> None:
    """Validate one InlineKeyboardButton."""
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [key for key in _BUTTON_ACTIONS if key in button and button[key] not in (None, "")]
    actions += [key for key in ("switch_inline_query", "switch_inline_query_current_chat") if button.get(key) == ""]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(prefix + f"exactly one of the optional fields must be used, got {sorted(actions)}")
    data = button.get("callback_data")
    if data is not None and (not isinstance(data, str) or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def inline_markup_of(markup: Any) -> Json | None:
    """The part of a reply_markup that belongs to the message (only inline keyboards do)."""
    return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None


def check_length(text: str, limit: int, *, empty: str | None, too_long: str) -> None:
    """Raise Telegram's error for empty (when ``empty`` is given) or over-long visible text."""
    if empty is not None and not text.strip():
        raise bad_request(empty)
    if utf16_length(text) > limit:
        raise bad_request(too_long)


def as_int(params: Json, key: str, error: str) -> int:
    """An integer parameter, or a 400 with ``error``."""
    try:
        return int(params[key])
    except (KeyError, TypeError, ValueError):
        raise bad_request(error) from None
