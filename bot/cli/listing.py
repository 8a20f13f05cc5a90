"""`sondhani articles`: what is indexed (of one outlet, published since a date); `sondhani latest`: the
newest articles, or the newest about a topic. One article a line, labelled as the bot labels them."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence

from bot.cli.index import no_corpus
from bot.messages.citations import article_label, format_date, one_line
from bot.messages.language import texts_for
from bot.messages.texts import Texts
from bot.settings import Settings
from retrieval import ArticleInfo, SearchEngine

LATEST_MAX = 50  # the engine ranks a topic's best 50 articles by date


def cmd_articles(settings: Settings, args: argparse.Namespace) -> int:
    """Every indexed article (id, date, outlet, label, passages), and how many there are."""
    with serving_engine(settings) as engine:
        if engine is None:
            return 1
        found = engine.articles(source=args.source, since=args.since)
        total = engine.article_count()
    t = texts_for(settings.language)
    for line in _lines(found, t):
        print(line)
    print(f"{len(found)} of {total} indexed articles", file=sys.stderr)
    return 0


def cmd_latest(settings: Settings, args: argparse.Namespace) -> int:
    """The newest indexed articles (about TOPIC when given), newest first, with their links."""
    if not 1 <= args.limit <= LATEST_MAX:
        print(f"sondhani: --limit must be between 1 and {LATEST_MAX}", file=sys.stderr)
        return 2
    topic = " ".join(args.topic).strip() or None
    with serving_engine(settings) as engine:
        if engine is None:
            return 1
        found = engine.latest(topic, args.limit)
    t = texts_for(settings.language)
    if not found:
        print(t.latest_empty)
    for line in _lines(found, t, links=True):
        print(line)
    return 0


@contextlib.contextmanager
def serving_engine(settings: Settings) -> Iterator[SearchEngine | None]:
    """The engine over the serving index, or None (said on stderr) when there is no corpus folder or
    nothing is indexed yet: a listing never starts an index build."""
    if no_corpus(settings):
        yield None
        return
    with SearchEngine.open(settings.engine_config()) as engine:
        if not engine.has_index():
            print("sondhani: nothing is indexed yet: run `sondhani index` first", file=sys.stderr)
            yield None
        else:
            yield engine


def _lines(articles: Sequence[ArticleInfo], t: Texts, links: bool = False) -> list[str]:
    """One line an article: id, date, outlet, label, passages (and the link, for /latest)."""
    lines = []
    for a in articles:
        parts = [a.doc_id, format_date(a.published, t.lang) or "-", one_line(a.source) or "-"]
        parts += [article_label(a.title, None, None, t) if a.title else t.untitled, f"{t.num(a.passages)}"]
        if links:
            parts.append(a.url or "-")
        lines.append(" | ".join(parts))
    return lines
