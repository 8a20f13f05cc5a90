"""The aiohttp server of the fake Bot API: lifecycle, routing and method dispatch."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.support.fake_bot_api.builders import UpdateBuilders
from tests.support.fake_bot_api.decoding import _read_params
from tests.support.fake_bot_api.delivery import UpdateDelivery
from tests.support.fake_bot_api.errors import BotApiError, Json
from tests.support.fake_bot_api.observing import Observing
from tests.support.fake_bot_api.queries import QueryMethods
from tests.support.fake_bot_api.simple_methods import SimpleMethods

Handler = Callable[[Json], Awaitable[Any]]


class FakeBotApi(UpdateBuilders, Observing, UpdateDelivery, QueryMethods, SimpleMethods):
    """An aiohttp server that behaves like api.telegram.org for one bot.

    Attributes for observation (all in arrival order):
        calls: every API call as (method, decoded params); files appear as :class:`UploadedFile`.
        sent: every message the bot sent, as returned to it plus the keys "parse_mode" and
            "reply_markup" as received; edits update these dicts in place, deletions add
            "deleted": True.
        edits: a snapshot of the message after every successful edit, plus key "method".
        inline_answers: inline_query_id -> decoded answerInlineQuery params.
        callback_answers: callback_query_id -> answerCallbackQuery params.
        commands: json.dumps(scope or {"type": "default"}, sort_keys=True) -> the commands set for
            all languages; commands_by_language holds (that key, language_code) -> commands.
        errors: every error answer as (method, HTTP status, description).

    Behaviour switches:
        conflict: getUpdates answers 409 as if another instance were polling.
        privacy_mode: in groups, deliver only commands (bare or @this_bot) and replies to the bot,
            like a bot with the default privacy mode (plain @mentions are not delivered).
        strict_html: reject a bare "&" and <a> without href (Telegram takes them literally).
        query_ttl: seconds after which inline and callback queries can no longer be answered.
        webhook_retry_delay: pause before redelivering an update the webhook refused.
        member_status: (chat_id, user_id) -> "creator" | "administrator" | "member" | "left" |
            "kicked", used by getChatMember (default "member").
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "sondhani_test_bot",
        bot_id: int = 100000,
    ) -> None:
        super().__init__(token, bot_username, bot_id)
        self._failures: dict[str, list[int]] = {}
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._handlers: dict[str, tuple[str, Handler]] = self._method_table()

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, handler_cancellation=True, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])
        self._closing = False

    async def stop(self) -> None:
        """Release pending long polls, stop webhook delivery and close the server."""
        self._closing = True
        self._wake_polls()
        await self._stop_webhook_task()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def root_url(self) -> str:
        """The server root, e.g. "http://127.0.0.1:PORT"."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """What ApplicationBuilder().base_url() takes (PTB appends the token)."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """What ApplicationBuilder().base_file_url() takes (PTB appends the token)."""
        return f"{self.root_url}/file/bot"

    # -- fault injection ------------------------------------------------------------------------

    def fail_next(self, method: str, times: int, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``retry_after``."""
        self._failures[method.lower()] = [times, retry_after]

    # -- HTTP layer -----------------------------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):
            return self._serve_file(path[len("/file/bot") :])
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z0-9_]+)", path)
        if match is None:
            return _error_response(BotApiError(404, "Not Found"))
        token, method = match.groups()
        params = await _read_params(request)
        canonical = self._handlers.get(method.lower(), (method, None))[0]
        self.calls.append((canonical, params))
        try:
            result = await self._call(token, method.lower(), params, request)
        except BotApiError as exc:
            self.errors.append((canonical, exc.status, exc.description))
            return _error_response(exc)
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def _call(self, token: str, method: str, params: Json, request: web.Request) -> Any:
        if token != self.token:
            raise BotApiError(401, "Unauthorized")
        self._inject_failure(method)
        if method == "getupdates":
            return await self._get_updates(params, request)
        if method not in self._handlers:
            raise BotApiError(404, "Not Found: method not found")
        return await self._handlers[method][1](params)

    def _inject_failure(self, method: str) -> None:
        pending = self._failures.get(method)
        if not pending or pending[0] <= 0:
            return
        pending[0] -= 1
        raise BotApiError(
            429,
            f"Too Many Requests: retry after {pending[1]}",
            {"retry_after": pending[1]},
        )

    def _serve_file(self, rest: str) -> web.Response:
        token, _, file_path = rest.partition("/")
        if token != self.token:
            return _error_response(BotApiError(401, "Unauthorized"))
        stored = self._file_paths.get(file_path)
        if stored is None:
            return _error_response(BotApiError(404, "Not Found"))
        return web.Response(body=stored.content, content_type="application/octet-stream")

    def _method_table(self) -> dict[str, tuple[str, Handler]]:
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._ok,
            "close": self._ok,
            "getUpdates": self._ok,  # dispatched separately, listed for its canonical name
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "getFile": self._get_file,
            "sendDocument": self._send_document,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "setChatMenuButton": self._ok,
        }
        return {name.lower(): (name, handler) for name, handler in handlers.items()}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _error_response(error: BotApiError) -> web.Response:
    return web.json_response(error.body(), status=error.status, dumps=_dumps)
