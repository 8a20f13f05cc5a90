"""Request decoding: query string, form, multipart and JSON bodies into decoded parameters."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.fake_bot_api.errors import Json

# Fields whose form value is a plain string even when it looks like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    "text caption query inline_query_id callback_query_id inline_message_id file_id "
    "next_offset result_id secret_token url business_connection_id language_code "
    "description short_description name title emoji message_effect_id document action "
    "ip_address parse_mode".split()
)


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as it appears in the decoded parameters."""

    filename: str
    mime_type: str
    content: bytes = field(repr=False)


def decode_value(key: str, value: Any) -> Any:
    """Decode one request field: JSON-encoded values become objects, text fields stay text."""
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> Json:
    """Query string plus form, multipart or JSON body, with JSON-encoded values decoded."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.read()
        if body:
            loaded = json.loads(body)
            if isinstance(loaded, dict):
                raw.update(loaded)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                raw[key] = UploadedFile(value.filename, value.content_type, value.file.read())
            else:
                raw[key] = value
    return {key: decode_value(key, value) for key, value in raw.items()}
