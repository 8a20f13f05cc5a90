"""The limits of one fetch, in one frozen object the caller builds (the library reads no environment)."""

from __future__ import annotations

from dataclasses import dataclass

USER_AGENT = "SondhaniBot/0.1 (Bengali news search bot; adds articles an administrator links to)"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch. allow_private lets tests (and intranet deployments) reach 127.0.0.1."""

    user_agent: str = USER_AGENT
    timeout: float = 15.0  # seconds to connect, and between two reads
    deadline: float = 30.0  # seconds for the whole fetch, redirects included: a trickling body ends here
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    # Non-public networks allowed even so, e.g. ("10.1.0.0/16",) for an intranet news site; tests use it
    # to reach 127.0.0.1 while still checking that a redirect to 169.254.169.254 is refused.
    allowed_networks: tuple[str, ...] = ()
