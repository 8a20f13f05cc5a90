"""What a start checks and repairs before serving, so damaged state never crash-loops it: the token is
tried first (a bad one fails in a second, not after the model loads), a bot.sqlite3 SQLite cannot read
is moved aside, and an unreadable index is rebuilt from the corpus."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from pathlib import Path

import httpx

from bot.settings import Settings
from bot.store import Store
from retrieval import ReindexCancelled, SearchEngine, SondhaniError, move_aside, sqlite_problem

log = logging.getLogger(__name__)


async def check_token(settings: Settings) -> str | None:
    """getMe before the model loads, so a bad token or API URL fails in a second rather than after a
    load. Returns the one line to log, or None when the token works.

    Plain httpx rather than PTB's Bot: PTB takes any 401/404 for a bad token, even an empty 404 from
    a server that is not the Bot API at all (a wrong SONDHANI_TELEGRAM_API_URL), and logs a traceback
    when the body is not JSON. Only a Bot API answer ({"ok": ...}) can say anything about the token.
    """
    api, token = settings.bot_api_root, str(settings.telegram_bot_token)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"{settings.bot_api_url}{token}/getMe")
    except httpx.HTTPError as exc:  # the token is part of the URL: never let it into the log
        return f"Cannot reach the Bot API at {api}: {str(exc).replace(token, '<token>') or type(exc).__name__}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or "ok" not in body:
        return f"The Bot API server at {api} answered {response.status_code}: is SONDHANI_TELEGRAM_API_URL right?"
    if body["ok"]:
        return None
    if response.status_code in (401, 404):
        return "Telegram rejected the bot token (getMe answered 401/404): check TELEGRAM_BOT_TOKEN"
    description = str(body.get("description", "")).replace(token, "<token>")
    return f"The Bot API at {api} refused getMe ({response.status_code} {description})"


async def open_store(path: Path, history_days: float) -> Store:
    """The bot's database; one SQLite cannot read (malformed, not a database) is moved aside and a new
    one started, with one warning line: the question log and votes are lost, the bot keeps running."""
    problem = await asyncio.to_thread(sqlite_problem, path)
    if problem is None:
        try:
            return await Store.open(path, history_days)
        except sqlite3.DatabaseError as exc:
            problem = str(exc)
    aside = await asyncio.to_thread(move_aside, path)
    log.warning("The bot's database %s was damaged (%s): moved to %s, started anew", path.name, problem, aside.name)
    return await Store.open(path, history_days)


async def rebuild_damaged(engine: SearchEngine, stop: asyncio.Event) -> bool:
    """Rebuild an unreadable index from the corpus while the bot serves (the engine has logged why).
    False when a stop signal interrupted it."""
    cancel = threading.Event()
    relay = asyncio.create_task(stop.wait())
    relay.add_done_callback(lambda _: cancel.set())
    try:
        report = await asyncio.to_thread(engine.reindex, cancel=cancel)
    except ReindexCancelled:
        return False
    except SondhaniError as exc:
        log.error("Could not rebuild the index: %s; send /reindex once the corpus is fixed", exc)
        return True
    finally:
        relay.cancel()
    log.info("Index rebuilt from the corpus: %d articles, %d passages", report.articles, report.passages)
    return True
