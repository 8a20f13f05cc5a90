"""The test side: looking at what the bot did and waiting for it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from tests.support.fake_bot_api.errors import Json
from tests.support.fake_bot_api.state import FakeBotState


class Observing(FakeBotState):
    """Queries over the observation lists, waits with a readable dump on timeout."""

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


def _short(params: Json) -> str:
    text = json.dumps(params, ensure_ascii=False, default=repr)
    return text if len(text) <= 200 else text[:200] + "…"
