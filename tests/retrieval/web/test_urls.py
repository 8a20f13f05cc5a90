"""A link as a duplicate key."""

from __future__ import annotations

from retrieval.web.urls import normalize_url


def test_normalize_url_drops_tracking_and_noise_only() -> None:
    assert normalize_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=7&fbclid=y&b=2#top") == (
        "https://example.com/a/b?b=2&id=7"
    )
    assert normalize_url("http://example.com") == "http://example.com/"
    assert normalize_url("http://example.com/a?id=7") != normalize_url("http://example.com/a?id=8")
