"""Message entities: UTF-16 offsets, parse_mode rendering and entities detected in user text."""

from __future__ import annotations

import re
from typing import Any

from tests.support.fake_bot_api.errors import Json, bad_request
from tests.support.fake_bot_api.html import HtmlParseError, parse_html

_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}(?![\w@])")


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _utf16_slice(text: str, offset: int, length: int) -> str:
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le")


def render_text(text: str, parse_mode: str | None, entities: Any, *, strict: bool) -> tuple[str, list[Json]]:
    """Apply ``parse_mode`` the way Telegram does; return visible text and entities."""
    mode = (parse_mode or "").lower()
    if not mode:
        return text, list(entities) if isinstance(entities, list) else []
    if mode == "html":
        try:
            return parse_html(text, strict=strict)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    if mode in ("markdown", "markdownv2"):
        raise bad_request(
            f"can't parse entities: parse_mode {parse_mode} is not implemented by the fake Bot API (Sondhani uses HTML)"
        )
    raise bad_request("unsupported parse_mode")


def detect_entities(text: str) -> list[Json]:
    """The bot_command and mention entities Telegram attaches to a user's text."""
    found: list[Json] = []
    for kind, pattern in (("bot_command", _COMMAND_RE), ("mention", _MENTION_RE)):
        for match in pattern.finditer(text):
            found.append(
                {
                    "type": kind,
                    "offset": utf16_length(text[: match.start()]),
                    "length": utf16_length(match.group()),
                }
            )
    return sorted(found, key=lambda e: e["offset"])
