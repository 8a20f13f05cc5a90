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
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

Json = dict[str, Any]

MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_RESULTS = 50
MAX_RESULT_ID_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024

QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CONFLICT_POLLING = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first"
)

# Fields whose form value is a plain string even when it looks like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    "text caption query inline_query_id callback_query_id inline_message_id file_id "
    "next_offset result_id secret_token url business_connection_id language_code "
    "description short_description name title emoji message_effect_id document action "
    "ip_address parse_mode".split()
)
_CHAT_ACTIONS = frozenset(
    "typing upload_photo record_video upload_video record_voice upload_voice "
    "upload_document choose_sticker find_location record_video_note upload_video_note".split()
)
_BUTTON_ACTIONS = tuple(
    "url callback_data web_app login_url switch_inline_query "
    "switch_inline_query_current_chat switch_inline_query_chosen_chat copy_text "
    "callback_game pay".split()
)
_DEFAULT_ALLOWED_UPDATES = frozenset(
    "message edited_message channel_post edited_channel_post business_connection "
    "business_message edited_business_message deleted_business_messages inline_query "
    "chosen_inline_result callback_query shipping_query pre_checkout_query "
    "purchased_paid_media poll poll_answer my_chat_member chat_join_request chat_boost "
    "removed_chat_boost".split()
)
_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}(?![\w@])")
_BOT_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")


class BotApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional parameters."""

    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> Json:
        """The JSON body Telegram sends with this error."""
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> BotApiError:
    """A 400 error with Telegram's "Bad Request: " prefix."""
    return BotApiError(400, f"Bad Request: {reason}")


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request, as it appears in the decoded parameters."""

    filename: str
    mime_type: str
    content: bytes = field(repr=False)


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


# --------------------------------------------------------------------------------------------
# Text: UTF-16 lengths, Telegram's HTML subset, entity detection
# --------------------------------------------------------------------------------------------


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


class HtmlParseError(Exception):
    """Raised for HTML Telegram would refuse; the message follows Telegram's wording."""


_HTML_TAGS = frozenset(
    "a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote".split()
)
_SIMPLE_ENTITY_TYPES = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("tg-spoiler", "span"), "spoiler"),
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass
class _OpenTag:
    tag: str
    argument: str
    utf16_offset: int
    text_start: int
    byte_offset: int


class _HtmlParser:
    """Telegram's HTML parse mode, following the algorithm of TDLib's ``parse_html``."""

    def __init__(self, source: str, strict: bool) -> None:
        self.src = source
        self.strict = strict
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[Json] = []

    def parse(self) -> tuple[str, list[Json]]:
        """Return the visible text and its entities, or raise HtmlParseError."""
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                self._ampersand()
            elif char == "<":
                self._tag()
            else:
                self._emit(char)
                self.pos += 1
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        text = "".join(self.out)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, check for "
                "unmatched surrogate code units"
            ) from None
        return text, sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))

    # -- characters ---------------------------------------------------------------------------

    def _peek(self, pos: int | None = None) -> str:
        index = self.pos if pos is None else pos
        return self.src[index] if index < len(self.src) else ""

    def _is_space(self, char: str) -> bool:
        return char == "" or char in " \t\r\n\v\f"

    def _skip_spaces(self) -> None:
        while self.pos < len(self.src) and self._is_space(self.src[self.pos]):
            self.pos += 1

    def _byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8", "surrogatepass"))

    def _emit(self, char: str) -> None:
        self.out.append(char)
        self.utf16 += 2 if ord(char) > 0xFFFF else 1

    def _ampersand(self) -> None:
        decoded = self._decode_entity()
        if decoded is not None:
            self._emit(decoded)
            return
        if self.strict:
            raise self._error_at(self._bad_ampersand(self.pos), self.pos)
        self._emit("&")
        self.pos += 1

    def _bad_ampersand(self, pos: int) -> str:
        """Explain a strict-mode "&" error (Telegram itself would keep the "&" literally)."""
        end, code = self._entity_code(pos + 1)
        if code is not None:
            return f'HTML entity "{self.src[pos:end]}" must end with ";"'
        return 'Unescaped "&" (write "&amp;")'

    def _decode_entity(self) -> str | None:
        """Decode the entity at ``pos`` (advancing past it) or return None, leaving ``pos``."""
        end, code = self._entity_code(self.pos + 1)
        if code is None:
            return None
        if self._peek(end) == ";":
            end += 1
        elif self.strict:
            return None
        self.pos = end
        return chr(code)

    def _entity_code(self, start: int) -> tuple[int, int | None]:
        if self._peek(start) != "#":
            end = start
            while self._peek(end).isascii() and self._peek(end).isalpha():
                end += 1
            name = self.src[start:end]
            return end, ord(_NAMED_ENTITIES[name]) if name in _NAMED_ENTITIES else None
        end = start + 1
        base, digits = (
            (16, "0123456789abcdefABCDEF") if self._peek(end) == "x" else (10, "0123456789")
        )
        end += 1 if base == 16 else 0
        digit_start = end
        while self._peek(end) != "" and self._peek(end) in digits:
            end += 1
        value = int(self.src[digit_start:end], base) if end > digit_start else 0
        if value == 0 or value >= 0x10FFFF or end - (start - 1) >= 10:
            return end, None
        return end, value

    # -- tags ---------------------------------------------------------------------------------

    def _tag(self) -> None:
        begin = self.pos
        self.pos += 1
        if self._peek() == "/":
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _error_at(self, what: str, pos: int) -> HtmlParseError:
        return HtmlParseError(f"{what} at byte offset {self._byte_offset(pos)}")

    def _start_tag(self, begin: int) -> None:
        name_start = self.pos
        while not self._is_space(self._peek()) and self._peek() != ">":
            self.pos += 1
        if self.pos >= len(self.src):
            raise self._error_at("Unclosed start tag", begin)
        tag = self.src[name_start : self.pos].lower()
        if tag not in _HTML_TAGS:
            raise self._error_at(f'Unsupported start tag "{tag}"', begin)
        argument = self._attributes(tag, begin)
        self.pos += 1  # the ">"
        if tag == "span" and argument != "spoiler":
            raise self._error_at('Tag "span" must have class "tg-spoiler"', begin)
        if tag == "a" and self.strict and not argument:
            raise self._error_at('Tag "a" must have a non-empty attribute "href"', begin)
        self.stack.append(
            _OpenTag(tag, argument, self.utf16, len(self.out), self._byte_offset(begin))
        )

    def _attributes(self, tag: str, begin: int) -> str:
        argument = ""
        while self._peek() != ">":
            self._skip_spaces()
            if self._peek() == ">":
                break
            name_start = self.pos
            while not self._is_space(self._peek()) and self._peek() not in ("=", ">"):
                self.pos += 1
            name = self.src[name_start : self.pos]
            if not name:
                raise self._error_at(f'Empty attribute name in the tag "{tag}"', begin)
            self._skip_spaces()
            if self._peek() != "=":
                if tag == "blockquote" and name == "expandable":
                    argument = "expandable"
                    continue
                raise self._error_at(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin
                )
            self.pos += 1
            self._skip_spaces()
            if self.pos >= len(self.src):
                raise self._error_at(f'Unclosed start tag "{tag}"', begin)
            value = self._attribute_value()
            if self.pos >= len(self.src):
                raise self._error_at("Unclosed start tag", begin)
            argument = _tag_argument(tag, name, value, argument)
        return argument

    def _attribute_value(self) -> str:
        quote = self._peek()
        if quote not in ("'", '"'):
            start = self.pos
            while _is_name_char(self._peek()):
                self.pos += 1
            if not self._is_space(self._peek()) and self._peek() != ">":
                raise self._error_at("Unexpected end of name token", self.pos)
            return self.src[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self._peek() not in (quote, ""):
            if self._peek() == "&":
                decoded = self._decode_entity()
                if decoded is None and self.strict:
                    raise self._error_at(self._bad_ampersand(self.pos), self.pos)
                if decoded is not None:
                    value.append(decoded)
                    continue
            value.append(self._peek())
            self.pos += 1
        if self._peek() == quote:
            self.pos += 1
        return "".join(value)

    def _end_tag(self, begin: int) -> None:
        if not self.stack:
            raise self._error_at("Unexpected end tag", begin)
        self.pos += 1  # the "/"
        name_start = self.pos
        while not self._is_space(self._peek()) and self._peek() != ">":
            self.pos += 1
        name = self.src[name_start : self.pos].lower()
        self._skip_spaces()
        if self._peek() != ">":
            raise self._error_at("Unclosed end tag", begin)
        self.pos += 1
        top = self.stack[-1]
        if name and name != top.tag:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, "
                f'expected "</{top.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        if self.utf16 > top.utf16_offset:
            self._close_entity(top)

    def _close_entity(self, top: _OpenTag) -> None:
        span: Json = {"offset": top.utf16_offset, "length": self.utf16 - top.utf16_offset}
        last = self.entities[-1] if self.entities else None
        same_span = (
            last is not None
            and last["offset"] == span["offset"]
            and last["length"] == span["length"]
        )
        if top.tag in _SIMPLE_ENTITY_TYPES:
            self.entities.append({"type": _SIMPLE_ENTITY_TYPES[top.tag], **span})
        elif top.tag == "blockquote":
            kind = "expandable_blockquote" if top.argument == "expandable" else "blockquote"
            self.entities.append({"type": kind, **span})
        elif top.tag == "tg-emoji":
            if not top.argument.isdigit() or int(top.argument) == 0:
                raise HtmlParseError("Invalid custom emoji identifier specified")
            self.entities.append({"type": "custom_emoji", **span, "custom_emoji_id": top.argument})
        elif top.tag == "a":
            url = top.argument or "".join(self.out[top.text_start :])
            self.entities.append({"type": "text_link", **span, "url": url})
        elif top.tag == "pre":
            if same_span and last is not None and last["type"] == "code" and last.get("_language"):
                self.entities[-1] = {"type": "pre", **span, "language": last["_language"]}
            else:
                self.entities.append({"type": "pre", **span})
        else:  # code
            if same_span and last is not None and last["type"] == "pre" and top.argument:
                last["language"] = top.argument
            else:
                entity = {"type": "code", **span}
                if top.argument:
                    entity["_language"] = top.argument
                self.entities.append(entity)

    def finish_entities(self) -> None:
        """Drop the internal language marker of code entities that were not inside pre."""
        for entity in self.entities:
            entity.pop("_language", None)


def _is_name_char(char: str) -> bool:
    return char != "" and ((char.isascii() and char.isalnum()) or char in ".-")


def _tag_argument(tag: str, name: str, value: str, current: str) -> str:
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value[len("language-") :]
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value[len("tg-") :]
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    return current


def parse_html(source: str, *, strict: bool = True) -> tuple[str, list[Json]]:
    """Parse Telegram HTML into (visible text, entities with UTF-16 offsets).

    Raises HtmlParseError with Telegram's explanation ("Unsupported start tag ... at byte
    offset N"). With ``strict``, a bare ``&``, an entity without ``;`` and ``<a>`` without
    ``href`` are errors too.
    """
    parser = _HtmlParser(source, strict)
    text, entities = parser.parse()
    parser.finish_entities()
    return text, entities


def render_text(
    text: str, parse_mode: str | None, entities: Any, *, strict: bool
) -> tuple[str, list[Json]]:
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
            f"can't parse entities: parse_mode {parse_mode} is not implemented by the fake Bot API "
            "(Sondhani uses HTML)"
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


# --------------------------------------------------------------------------------------------
# Parameter decoding and validation
# --------------------------------------------------------------------------------------------


def decode_value(key: str, value: Any) -> Any:
    """Decode one request field: JSON-encoded values become objects, text fields stay text."""
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


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
        raise bad_request(
            'Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
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
    actions += [
        key
        for key in ("switch_inline_query", "switch_inline_query_current_chat")
        if button.get(key) == ""
    ]
    if not actions:
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise bad_request(
            prefix + f"exactly one of the optional fields must be used, got {sorted(actions)}"
        )
    data = button.get("callback_data")
    if data is not None and (
        not isinstance(data, str) or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
    ):
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


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


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


Handler = Callable[[Json], Awaitable[Any]]


class FakeBotApi:
    """An aiohttp server that behaves like api.telegram.org for one bot.

    Attributes for observation (all in arrival order):
        calls: every API call as (method, decoded params); files appear as :class:`UploadedFile`.
        sent: every message the bot sent, as returned to it plus the keys "parse_mode" and
            "reply_markup" as received; edits update these dicts in place, deletions add
            "deleted": True.
        edits: a snapshot of the message after every successful edit, plus key "method".
        inline_answers: inline_query_id -> decoded answerInlineQuery params.
        callback_answers: callback_query_id -> answerCallbackQuery params.
        commands: json.dumps(scope or {"type": "default"}, sort_keys=True) -> the commands set for
            all languages; commands_by_language holds (that key, language_code) -> commands.
        errors: every error answer as (method, HTTP status, description).

    Behaviour switches:
        conflict: getUpdates answers 409 as if another instance were polling.
        privacy_mode: in groups, deliver only commands (bare or @this_bot) and replies to the bot,
            like a bot with the default privacy mode (plain @mentions are not delivered).
        strict_html: reject a bare "&" and <a> without href (Telegram takes them literally).
        query_ttl: seconds after which inline and callback queries can no longer be answered.
        webhook_retry_delay: pause before redelivering an update the webhook refused.
        member_status: (chat_id, user_id) -> "creator" | "administrator" | "member" | "left" |
            "kicked", used by getChatMember (default "member").
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "sondhani_test_bot",
        bot_id: int = 100000,
    ) -> None:
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
        self._failures: dict[str, list[int]] = {}
        self._webhook: _Webhook | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._closing = False
        self._handlers: dict[str, tuple[str, Handler]] = self._method_table()

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(
            app, shutdown_timeout=1.0, handler_cancellation=True, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        self._closing = False

    async def stop(self) -> None:
        """Release pending long polls, stop webhook delivery and close the server."""
        self._closing = True
        self._wake_polls()
        await self._stop_webhook_task()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:PORT"."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """What ApplicationBuilder().base_url() takes (PTB appends the token)."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """What ApplicationBuilder().base_file_url() takes (PTB appends the token)."""
        return f"{self.root_url}/file/bot"

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

    def send_message(
        self, chat: Json, user: Json, text: str, *, reply_to: Json | None = None
    ) -> Json:
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

    def press_button(
        self, message: Json, callback_data: str, user: Json, *, require_button: bool = True
    ) -> str:
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

    # -- observing ------------------------------------------------------------------------------

    def messages_to(self, chat_id: int) -> list[Json]:
        """Messages the bot sent to ``chat_id`` and has not deleted, oldest first."""
        return [m for m in self.sent if m["chat"]["id"] == chat_id and not m.get("deleted")]

    def pending_updates(self) -> list[Json]:
        """Updates queued and not yet confirmed by the bot."""
        return list(self._updates)

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 15.0) -> None:
        """Wait until ``condition()`` is true; raise AssertionError with a dump on timeout."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            if asyncio.get_running_loop().time() >= deadline:
                raise AssertionError(f"condition not met within {timeout}s\n{self.describe()}")
            await asyncio.sleep(0.01)

    async def wait_for_sent(
        self,
        predicate: Callable[[Json], bool] = lambda m: True,
        *,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[Json]:
        """Wait until ``count`` sent messages match ``predicate`` and return all that match."""

        def matching() -> list[Json]:
            return [m for m in self.sent if predicate(m)]

        try:
            await self.wait_for(lambda: len(matching()) >= count, timeout)
        except AssertionError:
            raise AssertionError(
                f"expected {count} sent message(s) matching the predicate within {timeout}s, "
                f"{len(matching())} matched\n{self.describe()}"
            ) from None
        return matching()

    def describe(self, last: int = 20) -> str:
        """A readable dump of recent calls, errors, sent messages and pending updates."""
        lines = [f"last {last} calls:"]
        lines += [f"  {method} {_short(params)}" for method, params in self.calls[-last:]]
        lines.append(f"errors ({len(self.errors)}):")
        lines += [f"  {method} {status} {text}" for method, status, text in self.errors[-last:]]
        lines.append(f"sent ({len(self.sent)}):")
        for message in self.sent[-last:]:
            body = str(message.get("text", message.get("caption", "<no text>")))
            lines.append(f"  chat {message['chat']['id']} #{message['message_id']}: {body[:160]!r}")
        lines.append(f"pending updates: {[u['update_id'] for u in self._updates]}")
        return "\n".join(lines)

    # -- fault injection ------------------------------------------------------------------------

    def fail_next(self, method: str, times: int, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``retry_after``."""
        self._failures[method.lower()] = [times, retry_after]

    # -- HTTP layer -----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._serve_file(path[len("/file/bot") :])
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)", path)
        if match is None:
            return _error_response(BotApiError(404, "Not Found"))
        token, method = match.groups()
        params = await _read_params(request)
        canonical = self._handlers.get(method.lower(), (method, None))[0]
        self.calls.append((canonical, params))
        try:
            result = await self._call(token, method.lower(), params, request)
        except BotApiError as exc:
            self.errors.append((canonical, exc.status, exc.description))
            return _error_response(exc)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _call(self, token: str, method: str, params: Json, request: web.Request) -> Any:
        if token != self.token:
            raise BotApiError(401, "Unauthorized")
        self._inject_failure(method)
        if method == "getupdates":
            return await self._get_updates(params, request)
        if method not in self._handlers:
            raise BotApiError(404, "Not Found: method not found")
        return await self._handlers[method][1](params)

    def _inject_failure(self, method: str) -> None:
        pending = self._failures.get(method)
        if not pending or pending[0] <= 0:
            return
        pending[0] -= 1
        raise BotApiError(
            429,
            f"Too Many Requests: retry after {pending[1]}",
            {"retry_after": pending[1]},
        )

    def _serve_file(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return _error_response(BotApiError(401, "Unauthorized"))
        stored = self._file_paths.get(file_path)
        if stored is None:
            return _error_response(BotApiError(404, "Not Found"))
        return web.Response(body=stored.content, content_type="application/octet-stream")

    def _method_table(self) -> dict[str, tuple[str, Handler]]:
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._ok,
            "close": self._ok,
            "getUpdates": self._ok,  # dispatched separately, listed for its canonical name
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "getFile": self._get_file,
            "sendDocument": self._send_document,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "setChatMenuButton": self._ok,
        }
        return {name.lower(): (name, handler) for name, handler in handlers.items()}

    # -- updates: getUpdates and webhook --------------------------------------------------------

    async def _get_updates(self, params: Json, request: web.Request) -> list[Json]:
        if self.conflict:
            raise BotApiError(409, CONFLICT_POLLING)
        if self._webhook is not None:
            raise BotApiError(409, CONFLICT_WEBHOOK)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        self._set_allowed_updates(params.get("allowed_updates"))
        self._confirm(offset)
        if self._active_poll is not None:
            self._active_poll.superseded = True
            self._active_poll.wake.set()
        poll = _Poll()
        self._active_poll = poll
        try:
            return await self._long_poll(poll, limit, timeout, request)
        finally:
            if self._active_poll is poll:
                self._active_poll = None

    async def _long_poll(
        self, poll: _Poll, limit: int, timeout: float, request: web.Request
    ) -> list[Json]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._polls.add(poll)
        try:
            while True:
                poll.wake.clear()
                batch = self._deliverable(limit)
                if batch or self._closing:
                    return batch
                if poll.superseded:
                    return await self._superseded(request)
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                try:
                    await asyncio.wait_for(poll.wake.wait(), remaining)
                except TimeoutError:
                    return []
        finally:
            self._polls.discard(poll)

    async def _superseded(self, request: web.Request) -> list[Json]:
        """A newer getUpdates arrived: Telegram ends this one with 409 if anyone still listens."""
        await asyncio.sleep(0.05)
        transport = request.transport
        if transport is None or transport.is_closing():
            return []
        raise BotApiError(409, CONFLICT_POLLING)

    def _set_allowed_updates(self, allowed: Any) -> None:
        if allowed is None:
            return
        if not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON array")
        self._allowed_updates = frozenset(allowed) if allowed else _DEFAULT_ALLOWED_UPDATES

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _deliverable(self, limit: int) -> list[Json]:
        """Drop updates of types the bot did not ask for, return up to ``limit`` of the rest."""
        self._updates = [u for u in self._updates if _update_type(u) in self._allowed_updates]
        return copy.deepcopy(self._updates[:limit])

    def _queue(self, kind: str, payload: Json) -> Json:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self._wake_polls()
        return update

    def _wake_polls(self) -> None:
        for poll in self._polls:
            poll.wake.set()

    async def _set_webhook(self, params: Json) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        if not re.match(r"^https?://", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._set_allowed_updates(params.get("allowed_updates"))
        await self._stop_webhook_task()
        self._webhook = _Webhook(
            url=url,
            secret_token=str(secret) if secret is not None else None,
            max_connections=int(params.get("max_connections") or 40),
            ip_address=params.get("ip_address"),
        )
        self._webhook_task = asyncio.create_task(self._deliver_to_webhook(self._webhook))
        return True

    async def _delete_webhook(self, params: Json) -> bool:
        await self._stop_webhook_task()
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _get_webhook_info(self, params: Json) -> Json:
        hook = self._webhook
        info: Json = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            info["allowed_updates"] = sorted(self._allowed_updates)
            if hook.ip_address:
                info["ip_address"] = hook.ip_address
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    async def _deliver_to_webhook(self, hook: _Webhook) -> None:
        """POST queued updates to the webhook one by one, in order, retrying refusals."""
        poll = _Poll()
        self._polls.add(poll)
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        )
        try:
            async with aiohttp.ClientSession() as session:
                while not self._closing:
                    poll.wake.clear()
                    batch = self._deliverable(1)
                    if not batch:
                        await poll.wake.wait()
                        continue
                    if await self._post_update(session, hook, headers, batch[0]):
                        self._confirm(batch[0]["update_id"] + 1)
                    else:
                        await asyncio.sleep(self.webhook_retry_delay)
        finally:
            self._polls.discard(poll)

    async def _post_update(
        self, session: aiohttp.ClientSession, hook: _Webhook, headers: dict[str, str], update: Json
    ) -> bool:
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, OSError) as exc:
            error = f"Connection failed: {exc}"
        hook.last_error_date = int(time.time())
        hook.last_error_message = error
        return False

    # -- simple methods -------------------------------------------------------------------------

    async def _ok(self, params: Json) -> bool:
        return True

    async def _get_me(self, params: Json) -> Json:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _send_chat_action(self, params: Json) -> bool:
        self._writable_chat(params.get("chat_id"))
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _get_chat(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id"))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    async def _get_chat_member(self, params: Json) -> Json:
        chat = self._chat(params.get("chat_id"))
        user_id = as_int(params, "user_id", "invalid user_id specified")
        user = self._users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        status = self.member_status.get((chat["id"], user_id), "member")
        return _chat_member(status, user)

    # -- messages -------------------------------------------------------------------------------

    async def _send_message(self, params: Json) -> Json:
        chat = self._writable_chat(params.get("chat_id"))
        text, entities = self._message_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
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
        check_length(
            caption, MAX_CAPTION_LENGTH, empty=None, too_long="message caption is too long"
        )
        return caption, entities

    def _message_text(self, raw: Any, parse_mode: Any, entities: Any) -> tuple[str, list[Json]]:
        if raw is None or raw == "":
            raise bad_request("message text is empty")
        text, parsed = render_text(str(raw), parse_mode, entities, strict=self.strict_html)
        check_length(
            text, MAX_MESSAGE_LENGTH, empty="message text is empty", too_long="message is too long"
        )
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
        text, entities = self._message_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
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
        if next_offset is not None and len(str(next_offset).encode("utf-8")) > 64:
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
        if (
            not isinstance(result_id, str)
            or not 1 <= len(result_id.encode("utf-8")) <= MAX_RESULT_ID_BYTES
        ):
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
            self._message_text(
                content["message_text"], content.get("parse_mode"), content.get("entities")
            )
        if "reply_markup" in result:
            if inline_markup_of(result["reply_markup"]) is None:
                raise bad_request(prefix + "inline keyboard expected")
            check_inline_keyboard(result["reply_markup"])

    def _take_query(self, queries: dict[str, _Query], query_id: str) -> None:
        query = queries.get(query_id)
        expired = (
            query is not None
            and self.query_ttl is not None
            and time.monotonic() - query.created > self.query_ttl
        )
        if query is None or query.answered or expired:
            raise bad_request(QUERY_TOO_OLD.removeprefix("Bad Request: "))
        query.answered = True

    # -- commands and files ---------------------------------------------------------------------

    async def _set_my_commands(self, params: Json) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _BOT_COMMAND_RE.match(
                str(command.get("command", ""))
            ):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        key, language = self._commands_key(params)
        self.commands_by_language[(key, language)] = commands
        if not language:
            self.commands[key] = commands
        return True

    async def _delete_my_commands(self, params: Json) -> bool:
        key, language = self._commands_key(params)
        self.commands_by_language.pop((key, language), None)
        if not language:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: Json) -> list[Json]:
        return self.commands_by_language.get(self._commands_key(params), [])

    def _commands_key(self, params: Json) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _get_file(self, params: Json) -> Json:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_SIZE:
            raise bad_request("file is too big")
        return stored.as_file()

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
        public = {
            k: v for k, v in record.items() if k not in ("parse_mode", "reply_markup", "deleted")
        }
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
            if target.lower() == self.bot_user["username"].lower() or (
                not target and entity["offset"] == 0
            ):
                return True
        return False


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


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


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _error_response(error: BotApiError) -> web.Response:
    return web.json_response(error.body(), status=error.status, dumps=_dumps)


def _update_type(update: Json) -> str:
    return next((key for key in update if key != "update_id"), "")


def _utf16_slice(text: str, offset: int, length: int) -> str:
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2 : (offset + length) * 2].decode("utf-16-le")


def _callback_data_of(markup: Any) -> list[str]:
    inline = inline_markup_of(markup)
    if inline is None:
        return []
    return [
        b["callback_data"] for row in inline["inline_keyboard"] for b in row if "callback_data" in b
    ]


def _short(params: Json) -> str:
    text = json.dumps(params, ensure_ascii=False, default=repr)
    return text if len(text) <= 200 else text[:200] + "…"


def _chat_member(status: str, user: Json) -> Json:
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = (
            "can_be_edited can_manage_chat can_delete_messages can_manage_video_chats "
            "can_restrict_members can_promote_members can_change_info can_invite_users "
            "can_post_stories can_edit_stories can_delete_stories"
        ).split()
        return {
            "status": status,
            "user": user,
            "is_anonymous": False,
            **dict.fromkeys(rights, True),
        }
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unsupported member status {status!r}")
