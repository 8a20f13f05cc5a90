"""`sondhani remove ID`: move the article's file out of the corpus into the state directory's
`removed/` folder (never deleted), then update the index incrementally."""

from __future__ import annotations

import argparse
import sys

from bot.cli.index import format_index_report, index_with_progress, no_corpus
from bot.messages.citations import article_label
from bot.messages.language import texts_for
from bot.removal import plan_removal, set_aside
from bot.settings import Settings
from retrieval import CorpusError, SearchEngine


def cmd_remove(settings: Settings, args: argparse.Namespace) -> int:
    """Set the article's file aside and re-index; exit 2 when there is no such article (or it shares a file)."""
    if no_corpus(settings):
        return 2
    with SearchEngine.open(settings.engine_config()) as engine:  # first: refuses while the bot holds the state
        try:
            plan = plan_removal(settings.data_dir, args.id, engine.article_file(args.id))
        except CorpusError as exc:
            print(f"sondhani: not removed: {exc}", file=sys.stderr)
            return 2
        moved = set_aside(plan, settings.state_dir)
        label = article_label(plan.title, plan.source, plan.published, texts_for(settings.language))
        print(f"removed: {label} | {plan.doc_id} | {plan.file.name} moved to {moved}")
        print(format_index_report(index_with_progress(engine)), file=sys.stderr)
    return 0
