"""The webhook server. Anyone who knows the URL can POST to it, so an update reaches the Application
only with Telegram's secret token in its header; every other request gets 403 and a warning line.

PTB's own webhook server refuses such requests too, but says so only at DEBUG level, so an operator
running at INFO never learned that someone was forging updates. This one logs each refusal.

The same server answers GET /healthz (200 while serving, 503 otherwise) for load balancers and monitors.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator
from http import HTTPStatus
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update

from bot.context import SERVICES_KEY, BotApplication, Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def new_secret() -> str:
    """A secret token for one run when none is configured: 43 characters of A-Z a-z 0-9 _ - (256 bits)."""
    return secrets.token_urlsafe(32)


class _UpdateRequest(tornado.web.RequestHandler):
    """One POST from Telegram: onto the update queue if it carries the secret token, else 403."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, app: BotApplication, secret: str) -> None:
        """Tornado hands every request the application and the secret."""
        self.app, self.secret = app, secret

    async def post(self) -> None:
        """Check the secret in constant time, then queue the update."""
        sent = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(sent.encode(), self.secret.encode()):
            log.warning(
                "Refused a webhook request from %s to %s: %s %s header (answered 403)",
                self.request.remote_ip,
                self.request.path,
                "wrong" if sent else "no",
                SECRET_HEADER,
            )
            self.set_status(HTTPStatus.FORBIDDEN)
            return
        try:
            update = Update.de_json(json.loads(self.request.body), self.app.bot)
        except Exception as exc:  # noqa: BLE001 - whatever the body is, one line and a 400
            log.warning("Ignored a webhook request whose body is not an update (%s: %s)", type(exc).__name__, exc)
            self.set_status(HTTPStatus.BAD_REQUEST)
            return
        await self.app.update_queue.put(update)


HEALTH_PATH = "/healthz"


class _Health(tornado.web.RequestHandler):
    """GET /healthz for a load balancer or a monitor: 200 and a small JSON body while the bot runs and an
    index serves, 503 (with the reason) otherwise. Says nothing a stranger could use: counts only."""

    SUPPORTED_METHODS = ("GET",)

    def initialize(self, app: BotApplication) -> None:
        """Tornado hands every request the application."""
        self.app = app

    async def get(self) -> None:
        """The engine's status, read off the event loop."""
        services: Services = self.app.bot_data[SERVICES_KEY]
        status = await asyncio.to_thread(services.engine.status)
        serving = self.app.running and status.generation is not None and not services.shutdown.is_set()
        body: dict[str, object] = {
            "status": "ok" if serving else "unavailable",
            "articles": status.articles,
            "passages": status.passages,
            "dense": status.dense_enabled,
        }
        if not serving:
            body["reason"] = (
                "stopping"
                if services.shutdown.is_set() or not self.app.running
                else "rebuilding a damaged index"
                if services.engine.damage
                else "no index"
            )
        self.set_status(HTTPStatus.OK if serving else HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))


class WebhookUnavailable(Exception):
    """The webhook server cannot listen where it is configured to (port taken, no such address)."""


class _WebhookApp(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log line per update; refusals are logged by the handler."""


@contextlib.asynccontextmanager
async def serving(app: BotApplication, *, listen: str, port: int, path: str, secret: str) -> AsyncIterator[None]:
    """Serve POSTs to `path` on listen:port until exit; connections are closed on the way out."""
    route = re.escape("/" + path.strip("/")) + "/?" if path.strip("/") else "/?"
    handlers: list[Any] = [
        (re.escape(HEALTH_PATH), _Health, {"app": app}),  # first: a webhook at "/" matches only "/" anyway
        (route, _UpdateRequest, {"app": app, "secret": secret}),
    ]
    server = tornado.httpserver.HTTPServer(_WebhookApp(handlers))
    try:
        server.listen(port, address=listen)
    except OSError as exc:
        raise WebhookUnavailable(f"cannot listen on {listen}:{port}: {exc.strerror or exc}") from exc
    try:
        yield
    finally:
        server.stop()
        await server.close_all_connections()
