"""The address guard: every kind of non-public address is refused, and the connection itself goes only to
an address checked when it is made."""

from __future__ import annotations

import ipaddress

import pytest

from retrieval.errors import PageRefused
from retrieval.web.address_guard import CheckedBackend, check_host, make_client
from retrieval.web.fetch_policy import FetchPolicy
from tests.support.news_site import NewsSite


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_every_non_public_address_kind_is_refused(address: str) -> None:
    host = str(ipaddress.ip_address(address))
    with pytest.raises(PageRefused):
        check_host(host, 80, FetchPolicy())


def test_a_public_address_passes_the_check() -> None:
    check_host("93.184.215.14", 80, FetchPolicy())  # an address literal: no DNS query, no connection


def test_the_connection_itself_goes_only_to_checked_addresses(site: NewsSite) -> None:
    """The socket is opened to an address checked at connect time (no DNS rebinding between check and
    connect): "localhost" is refused there too, and allowed when its network is."""
    port = int(site.root.rsplit(":", 1)[1])
    with pytest.raises(PageRefused, match="private, local or reserved"):
        CheckedBackend(FetchPolicy()).connect_tcp("localhost", port, timeout=1)
    stream = CheckedBackend(FetchPolicy(allowed_networks=("127.0.0.0/8", "::1/128"))).connect_tcp(
        "localhost", port, timeout=1
    )
    stream.close()
    client = make_client(FetchPolicy())
    try:
        assert isinstance(client._transport._pool._network_backend, CheckedBackend)  # type: ignore[attr-defined]
    finally:
        client.close()
