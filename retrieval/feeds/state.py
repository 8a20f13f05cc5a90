"""What is remembered about each feed between polls (validators, seen links, last result), in one JSON file
written atomically: a crash mid-write leaves the previous state, never half of one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from retrieval.corpus import atomic_files

log = logging.getLogger(__name__)

SEEN_PER_FEED = 5000  # remembered entry links per feed; feeds list far fewer at a time


@dataclass
class FeedState:
    """What is remembered about one feed between polls."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll: str | None = None  # ISO time (UTC) of the last poll
    last_new: int = 0  # articles added by the last poll
    total_added: int = 0
    last_error: str | None = None
    seen: list[str] = field(default_factory=list)  # normalised entry links, oldest first


def load_state(path: Path) -> dict[str, FeedState]:
    """Feed states by URL; a missing or unreadable file is an empty state (logged)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
        return {item["url"]: FeedState(**item) for item in raw["feeds"]}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("Feed state %s could not be read (%s): starting afresh", path, exc)
        return {}


def save_state(path: Path, states: dict[str, FeedState]) -> None:
    """Write all feed states atomically (retrieval.corpus.atomic_files)."""
    payload = {"feeds": [asdict(state) for state in states.values()]}
    atomic_files.replace(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"), prefix=".feeds-")
