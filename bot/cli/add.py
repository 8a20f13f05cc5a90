"""`sondhani add URL...`: add articles from links to the corpus, then re-index once for the batch;
`sondhani fetch`: the same for the new entries of SONDHANI_FEEDS.

Each link gets one line: on stdout what was added (title | outlet | date | passages | url | file), on
stderr why a link was refused. Exit status 0 when every link was added, 1 when any was refused.
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.index import format_index_report, index_with_progress, no_corpus
from bot.settings import Settings
from retrieval import AddedArticle, PageRefused, PollReport, SearchEngine, add_from_url


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    """Fetch every URL in args.urls, save the articles, index them."""
    if no_corpus(settings):
        return 2
    policy = settings.fetch_policy()
    added: list[AddedArticle] = []
    refused = 0
    with SearchEngine.open(settings.engine_config()) as engine:  # first: refuses while the bot holds the state
        known = engine.known_articles()  # duplicate checks from the index, not a read of every file
        for url in args.urls:
            try:
                added.append(add_from_url(settings.data_dir, url, policy, known=known))
            except PageRefused as exc:
                print(f"sondhani: not added: {url}: {exc}", file=sys.stderr)
                refused += 1
            except Exception as exc:  # noqa: BLE001 - one line per link, never a traceback that hides the others
                logging.getLogger(__name__).debug("adding %s failed", url, exc_info=True)
                print(f"sondhani: not added: {url}: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
                refused += 1
        if added or not engine.has_index():
            print(format_index_report(index_with_progress(engine)), file=sys.stderr)
        counts = engine.passage_counts([article.doc_id for article in added])
    for article in added:
        print(
            " | ".join(
                (
                    f"added: {article.title or '(untitled)'}",
                    article.outlet or "-",
                    article.published or "-",
                    f"{counts.get(article.doc_id, 0)} passages",
                    article.url,
                    article.path.name,
                )
            )
        )
    sys.stdout.flush()
    return 1 if refused else 0


def cmd_fetch(settings: Settings, args: argparse.Namespace) -> int:
    """Poll SONDHANI_FEEDS once, add the new entries' articles, re-index once for the batch.

    One line per feed (new, refused, left for later, not modified, error) and one per added article.
    Exit status 0, 1 when any feed failed, 2 when no feed is configured."""
    from bot.jobs.feed_poller import STATE_NAME
    from retrieval import poll_feeds

    if not settings.feeds:
        print("sondhani: no feeds configured: set SONDHANI_FEEDS to comma-separated RSS/Atom URLs", file=sys.stderr)
        return 2
    if no_corpus(settings):
        return 2
    with SearchEngine.open(settings.engine_config()) as engine:
        report = poll_feeds(
            list(settings.feeds),
            settings.data_dir,
            settings.state_dir / STATE_NAME,
            settings.fetch_policy(),
            pages_per_host=settings.feed_pages_per_host,
            host_delay=settings.feed_host_delay_seconds,
            known=engine.known_articles(),
        )
        if report.added or not engine.has_index():
            print(format_index_report(index_with_progress(engine)), file=sys.stderr)
    _print_poll_report(report)
    return 1 if any(feed.error for feed in report.feeds) else 0


def _print_poll_report(report: PollReport) -> None:
    """A line per feed, an indented line per article added or refused, and the total."""
    for feed in report.feeds:
        state = "not modified" if feed.not_modified else f"{feed.entries} entries"
        line = (
            f"feed {feed.url}: {state}, {len(feed.added)} new, {len(feed.refused)} refused, "
            f"{feed.deferred} left for the next poll"
        )
        print(line + (f"; error: {feed.error}" if feed.error else ""))
        for article in feed.added:
            print(
                f"  added: {article.title or '(untitled)'} | {article.outlet or '-'} | {article.published or '-'} "
                f"| {article.url}"
            )
        for link, reason in feed.refused:
            print(f"  refused: {link}: {reason}")
    print(f"{len(report.added)} new articles in {report.seconds:.1f} s")
    sys.stdout.flush()
