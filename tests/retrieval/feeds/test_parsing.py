"""Reading RSS 2.0, RSS 1.0 (RDF) and Atom entries, and refusing what is not a feed."""

from __future__ import annotations

import pytest

from retrieval.errors import FeedError
from retrieval.feeds.parsing import parse_feed
from tests.support.news_site import atom, rss


def test_rss_and_atom_entries_are_read_with_absolute_links() -> None:
    entries = parse_feed(rss(["/news/a", "http://x.test/b"]).encode(), "http://site.test/feeds/rss.xml")
    assert [e.link for e in entries] == ["http://site.test/news/a", "http://x.test/b"]
    assert [e.link for e in parse_feed(atom(["/c"]).encode(), "http://site.test/f")] == ["http://site.test/c"]
    rdf = (
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
        b"<item><title>t</title><link>http://x.test/d</link></item></rdf:RDF>"
    )
    assert [e.link for e in parse_feed(rdf, "http://x.test/")] == ["http://x.test/d"]
    for bad, reason in (
        (b"<rss><channel>", "not well-formed"),
        (b"<html></html>", "not an RSS or Atom feed"),
        (b'<!DOCTYPE r [<!ENTITY a "x">]><rss>&a;</rss>', "entities"),
    ):
        with pytest.raises(FeedError, match=reason):
            parse_feed(bad, "http://x.test/")
