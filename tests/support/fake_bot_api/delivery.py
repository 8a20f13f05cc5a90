"""Delivering updates to the bot: getUpdates long polling and the webhook."""

from __future__ import annotations

import asyncio
import copy
import re
import time
from typing import Any

import aiohttp
from aiohttp import web

from tests.support.fake_bot_api.errors import (
    CONFLICT_POLLING,
    CONFLICT_WEBHOOK,
    BotApiError,
    Json,
    bad_request,
)
from tests.support.fake_bot_api.state import _DEFAULT_ALLOWED_UPDATES, FakeBotState, _Poll, _Webhook


class UpdateDelivery(FakeBotState):
    """getUpdates, setWebhook, deleteWebhook, getWebhookInfo and the webhook sender."""

    # -- updates: getUpdates and webhook --------------------------------------------------------

    async def _get_updates(self, params: Json, request: web.Request) -> list[Json]:
        if self.conflict:
            raise BotApiError(409, CONFLICT_POLLING)
        if self._webhook is not None:
            raise BotApiError(409, CONFLICT_WEBHOOK)
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        self._set_allowed_updates(params.get("allowed_updates"))
        self._confirm(offset)
        if self._active_poll is not None:
            self._active_poll.superseded = True
            self._active_poll.wake.set()
        poll = _Poll()
        self._active_poll = poll
        try:
            return await self._long_poll(poll, limit, timeout, request)
        finally:
            if self._active_poll is poll:
                self._active_poll = None

    async def _long_poll(self, poll: _Poll, limit: int, timeout: float, request: web.Request) -> list[Json]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        self._polls.add(poll)
        try:
            while True:
                poll.wake.clear()
                batch = self._deliverable(limit)
                if batch or self._closing:
                    return batch
                if poll.superseded:
                    return await self._superseded(request)
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                try:
                    await asyncio.wait_for(poll.wake.wait(), remaining)
                except TimeoutError:
                    return []
        finally:
            self._polls.discard(poll)

    async def _superseded(self, request: web.Request) -> list[Json]:
        """A newer getUpdates arrived: Telegram ends this one with 409 if anyone still listens."""
        await asyncio.sleep(0.05)
        transport = request.transport
        if transport is None or transport.is_closing():
            return []
        raise BotApiError(409, CONFLICT_POLLING)

    def _set_allowed_updates(self, allowed: Any) -> None:
        if allowed is None:
            return
        if not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON array")
        self._allowed_updates = frozenset(allowed) if allowed else _DEFAULT_ALLOWED_UPDATES

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _deliverable(self, limit: int) -> list[Json]:
        """Drop updates of types the bot did not ask for, return up to ``limit`` of the rest."""
        self._updates = [u for u in self._updates if _update_type(u) in self._allowed_updates]
        return copy.deepcopy(self._updates[:limit])

    async def _set_webhook(self, params: Json) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        if not re.match(r"^https?://", url):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._set_allowed_updates(params.get("allowed_updates"))
        await self._stop_webhook_task()
        self._webhook = _Webhook(
            url=url,
            secret_token=str(secret) if secret is not None else None,
            max_connections=int(params.get("max_connections") or 40),
            ip_address=params.get("ip_address"),
        )
        self._webhook_task = asyncio.create_task(self._deliver_to_webhook(self._webhook))
        return True

    async def _delete_webhook(self, params: Json) -> bool:
        await self._stop_webhook_task()
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _stop_webhook_task(self) -> None:
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _get_webhook_info(self, params: Json) -> Json:
        hook = self._webhook
        info: Json = {
            "url": hook.url if hook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            info["allowed_updates"] = sorted(self._allowed_updates)
            if hook.ip_address:
                info["ip_address"] = hook.ip_address
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info

    async def _deliver_to_webhook(self, hook: _Webhook) -> None:
        """POST queued updates to the webhook one by one, in order, retrying refusals."""
        poll = _Poll()
        self._polls.add(poll)
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        try:
            async with aiohttp.ClientSession() as session:
                while not self._closing:
                    poll.wake.clear()
                    batch = self._deliverable(1)
                    if not batch:
                        await poll.wake.wait()
                        continue
                    if await self._post_update(session, hook, headers, batch[0]):
                        self._confirm(batch[0]["update_id"] + 1)
                    else:
                        await asyncio.sleep(self.webhook_retry_delay)
        finally:
            self._polls.discard(poll)

    async def _post_update(
        self, session: aiohttp.ClientSession, hook: _Webhook, headers: dict[str, str], update: Json
    ) -> bool:
        try:
            async with session.post(hook.url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except (aiohttp.ClientError, OSError) as exc:
            error = f"Connection failed: {exc}"
        hook.last_error_date = int(time.time())
        hook.last_error_message = error
        return False


def _update_type(update: Json) -> str:
    return next((key for key in update if key != "update_id"), "")
