"""`sondhani status`: what an operator checks first: the serving index, its passages, the model and
dense search, the last index, the last feed poll, and the last error anywhere."""

from __future__ import annotations

import argparse
import json
import sys

from bot.settings import Settings
from retrieval import SearchEngine, load_state


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    """Print the status (as one JSON object with --json); exit 0 when an index serves, 1 otherwise."""
    from bot.cli.index import no_corpus
    from bot.jobs.feed_poller import STATE_NAME

    if no_corpus(settings):
        return 2
    with SearchEngine.open(settings.engine_config()) as engine:
        st = engine.status()
        changed = engine.corpus_changed()
        damage = engine.damage or (engine.repairs[0] if engine.repairs else None)
    feeds = load_state(settings.state_dir / STATE_NAME)
    polls = [f for f in feeds.values() if f.last_poll]
    last_poll = max(polls, key=lambda f: f.last_poll or "", default=None)
    errors = [f"feed {f.url}: {f.last_error}" for f in feeds.values() if f.last_error]
    status = {
        "serving_index": st.generation,
        "articles": st.articles,
        "passages": st.passages,
        "embedding_model": st.embedding_model,
        "dense": st.dense_enabled,
        "dense_note": st.dense_note,
        "last_indexed_at": st.last_indexed_at.isoformat() if st.last_indexed_at else None,
        "last_index_seconds": round(st.last_index_seconds, 2) if st.last_index_seconds is not None else None,
        "corpus_changed_since_index": changed,
        "last_feed_poll": last_poll.last_poll if last_poll else None,
        "last_error": damage or (errors[0] if errors else None),
    }
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
    else:
        for key, value in status.items():
            print(f"{key.replace('_', ' ')}: {_plain(value)}")
    sys.stdout.flush()
    return 0 if st.generation else 1


def _plain(value: object) -> str:
    """A value as a reader expects it on a terminal: yes/no, not True/False; "-" for nothing."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
