"""Decoding a page's bytes when its charset label is true, missing or useless."""

from __future__ import annotations

import pytest

from retrieval.errors import PageRefused
from retrieval.web.charset import decode_html


def test_decoding_honours_a_true_single_byte_charset_and_refuses_garbage() -> None:
    latin = "<html><body><p>Café déjà vu</p></body></html>".encode("iso-8859-1")
    assert "Café déjà vu" in decode_html(latin, "iso-8859-1")
    meta_only = b'<meta charset="windows-1252"><p>na\xefve</p>'
    assert "naïve" in decode_html(meta_only, None)
    assert decode_html("<p>খবর</p>".encode("utf-16"), None) == "<p>খবর</p>"
    with pytest.raises(PageRefused, match="could not be decoded"):
        decode_html(bytes(range(128, 256)) * 20, "no-such-charset")
