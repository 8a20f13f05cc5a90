"""The per-user question limit: a sliding one-minute window."""

from __future__ import annotations

from bot.ratelimit import UserRateLimiter


def test_limit_per_user_in_a_sliding_window() -> None:
    now = [1000.0]
    limiter = UserRateLimiter(3, period=60, clock=lambda: now[0])
    assert [limiter.check(1) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.check(1) == 60.0  # wait until the first one leaves the window
    assert limiter.check(2) == 0.0  # other users are independent
    now[0] += 30
    assert limiter.check(1) == 30.0
    now[0] += 30.5
    assert limiter.check(1) == 0.0
