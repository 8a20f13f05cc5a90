"""`sondhani add URL...`: add articles from links to the corpus, then re-index once for the batch.

Each link gets one line: on stdout what was added (title | outlet | date | passages | url | file), on
stderr why a link was refused. Exit status 0 when every link was added, 1 when any was refused.
"""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings
from retrieval.engine import SearchEngine
from retrieval.webpages import AddedArticle, PageRefused, add_from_url


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    """Fetch every URL in args.urls, save the articles, index them."""
    from bot.cli import _index_with_progress, _no_corpus, format_index_report

    if _no_corpus(settings):
        return 2
    policy = settings.fetch_policy()
    added: list[AddedArticle] = []
    refused = 0
    with SearchEngine.open(settings.engine_config()) as engine:  # first: refuses while the bot holds the state
        for url in args.urls:
            try:
                added.append(add_from_url(settings.data_dir, url, policy))
            except PageRefused as exc:
                print(f"sondhani: not added: {url}: {exc}", file=sys.stderr)
                refused += 1
        if added or not engine.has_index():
            print(format_index_report(_index_with_progress(engine)), file=sys.stderr)
        counts: dict[str, int] = {}
        for passage in engine.passages():
            counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
    for article in added:
        print(" | ".join((
            f"added: {article.title or '(untitled)'}", article.outlet or "-", article.published or "-",
            f"{counts.get(article.doc_id, 0)} passages", article.url, article.path.name,
        )))
    sys.stdout.flush()
    return 1 if refused else 0
