"""What the corpus holds, answered from the index: for the duplicate checks of a new link or feed entry.

The catalog keeps each article's URL key and text hash (table `identities`), so a check costs two
indexed lookups, not a read of every corpus file. Files changed since the last update are not in the
catalog yet: only those are read (found by size and mtime, as an update finds them). A catalog written
before identities were recorded answers by reading the whole corpus once, until `index --rebuild`.
"""

from __future__ import annotations

from pathlib import Path

from retrieval.corpus.loader import corpus_files, parse_file
from retrieval.errors import CorpusError
from retrieval.index.catalog_reads import CatalogReader
from retrieval.records import Article
from retrieval.web.duplicates import CorpusScan, KnownArticles, content_hash, url_key


class IndexedArticles:
    """KnownArticles from the serving update's catalog rows, plus the corpus files changed since."""

    def __init__(self, reader: CatalogReader, seq: int, data_dir: Path) -> None:
        self._reader, self._seq = reader, seq
        self._fallback: KnownArticles | None = CorpusScan(data_dir) if reader.lacking_identity(seq) else None
        self._urls: dict[str, Article] = {}
        self._texts: dict[str, Article] = {}
        if self._fallback is None:
            for article in _changed_articles(reader, data_dir):
                self.remember(article)

    def by_url(self, key: str) -> Article | None:
        if self._fallback is not None:
            return self._fallback.by_url(key)
        return self._urls.get(key) or self._reader.article_by_identity(self._seq, "url_key", key)

    def by_text(self, digest: str) -> Article | None:
        if self._fallback is not None:
            return self._fallback.by_text(digest)
        return self._texts.get(digest) or self._reader.article_by_identity(self._seq, "text_key", digest)

    def remember(self, article: Article) -> None:
        if self._fallback is not None:
            self._fallback.remember(article)
            return
        key = url_key(article.url)
        if key is not None:
            self._urls.setdefault(key, article)
        self._texts.setdefault(content_hash(article.text), article)


def _changed_articles(reader: CatalogReader, data_dir: Path) -> list[Article]:
    """The articles of corpus files whose size or mtime differ from the last update's record."""
    try:
        files = corpus_files(data_dir)
    except CorpusError:
        return []
    recorded = reader.recorded_files()
    found: list[Article] = []
    for name, state in files.items():
        if recorded.get(name) == state:
            continue
        try:
            found += parse_file(name, (data_dir / name).read_bytes()).articles
        except OSError:
            continue  # removed while we looked: nothing to compare with
    return found
