"""Decoding a fetched page's bytes into text: Bengali sites often declare no charset, or a wrong one."""

from __future__ import annotations

import codecs
import re

from retrieval.errors import PageRefused

MAX_REPLACEMENT_SHARE = 0.01  # more U+FFFD than this after decoding: the charset could not be worked out
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(body: bytes, declared: str | None) -> str:
    """The page's text, whatever its charset header says.

    Bengali sites often send UTF-8 with no charset, or with a wrong one (ISO-8859-1 from a default
    server configuration). Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the label:
    text in a single-byte charset almost never forms valid multi-byte sequences. Otherwise the header's
    charset, then a <meta charset>, then UTF-8 with replacement characters, which are counted: too many
    means the page cannot be read.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return body.decode("utf-16", errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(body[:4096])
    for name in (declared, meta.group(1).decode("ascii") if meta else None):
        if name and _known_codec(name):
            text = body.decode(name, errors="replace")
            break
    else:
        text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_SHARE * max(len(text), 1):
        raise PageRefused("the page's text could not be decoded (unknown or wrong character set)")
    return text


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
