"""The guard against server-side request forgery: a link pasted by an admin or listed in a feed must not
reach loopback, private, link-local or metadata addresses (unless the policy allows them).

The check runs where the connection is made (CheckedBackend inside the httpx client), on the addresses
resolved there, so a DNS answer that changes after an earlier check cannot redirect the request.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from retrieval.errors import PageRefused
from retrieval.web.fetch_policy import FetchPolicy


def check_host(host: str, port: int, policy: FetchPolicy) -> list[str]:
    """The addresses host resolves to, refusing it when any is not on the public internet.

    Every address getaddrinfo returns is checked (a name may resolve to a public and a private one).
    Loopback, private, link-local (169.254.169.254 is the cloud metadata service), shared, reserved and
    multicast addresses all fail; IPv4-mapped IPv6 addresses are checked as IPv4. With allow_private,
    nothing is checked and [host] comes back (the system resolves it when connecting).
    """
    if policy.allow_private:
        return [host]
    allowed = [ipaddress.ip_network(n, strict=False) for n in policy.allowed_networks]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise PageRefused(f"the host {host} could not be found ({exc})") from None
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]
        address = ipaddress.ip_address(text)
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        public = address.is_global and not address.is_multicast  # 224.0.0.0/4 counts as global
        if not public and not any(address in network for network in allowed):
            raise PageRefused(f"{host} is a private, local or reserved address ({address}): not fetched")
        addresses.append(text)
    return list(dict.fromkeys(addresses))


class CheckedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses that `check_host` passed, resolved here
    once: a DNS answer that changes between the check and the connection (DNS rebinding) cannot
    send the request to a private address. TLS still verifies the certificate against the host name."""

    def __init__(self, policy: FetchPolicy) -> None:
        super().__init__()
        self._policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in check_host(host, port, self._policy):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # the next address of the name, as a browser would
                failure = exc
        raise failure or httpcore.ConnectError(f"no address to connect to for {host}")


def make_client(policy: FetchPolicy) -> httpx.Client:
    """An httpx client that follows no redirects itself and connects through CheckedBackend."""
    transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if pool is None or not hasattr(pool, "_network_backend"):  # httpx/httpcore internals moved
        raise RuntimeError("cannot install the address check into httpx: pin httpx 0.28 / httpcore 1.0")
    pool._network_backend = CheckedBackend(policy)
    return httpx.Client(
        transport=transport,
        follow_redirects=False,
        timeout=httpx.Timeout(policy.timeout),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Language": "bn,en;q=0.5",
        },
        trust_env=False,  # no proxy from the environment: the address we checked is the one we connect to
    )
