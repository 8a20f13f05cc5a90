"""Telegram's HTML parse mode: tags, entities and errors with Telegram's wording."""

from __future__ import annotations

from dataclasses import dataclass

from tests.support.fake_bot_api.errors import Json


class HtmlParseError(Exception):
    """Raised for HTML Telegram would refuse; the message follows Telegram's wording."""


_HTML_TAGS = frozenset("a b strong i em s strike del u ins tg-spoiler tg-emoji span pre code blockquote".split())
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
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
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
        base, digits = (16, "0123456789abcdefABCDEF") if self._peek(end) == "x" else (10, "0123456789")
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
        self.stack.append(_OpenTag(tag, argument, self.utf16, len(self.out), self._byte_offset(begin)))

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
                raise self._error_at(f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin)
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
        same_span = last is not None and last["offset"] == span["offset"] and last["length"] == span["length"]
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
