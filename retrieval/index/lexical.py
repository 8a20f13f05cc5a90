"""BM25 over the analyser's tokens, in tantivy: segments on disk, added to and deleted from by passage key.

The analyser (retrieval.text) has already cut and stemmed every word, so tantivy only splits the
token string on spaces ("ws" tokenizer) and never changes a token. Each document is one passage: its
catalog key (an unsigned fast field, also indexed so it can be deleted by term) and its tokens. A
commit is atomic; readers hold a searcher of one commit (reload policy "manual"), so an update that
commits while a search runs is invisible to it until the engine swaps views.

One writer per index folder at a time (tantivy's own lock): the engine opens it for an update and
closes it (waiting for merges) before the update is recorded, so the files the catalog records are
the files on disk while serving.

tantivy's BM25 is fixed at k1 = 1.2, b = 0.75; measured on bn-news-qa through the whole retriever, that
cost Recall@1 0.886 -> 0.877 against our b = 0.4. Padding every document with P copies of a token no
query holds gives 1 - 0.75 + 0.75 (dl + P) / (avgdl + P) = 1 - b + b dl / avgdl exactly when
P = avgdl (0.75 / b - 1): with it tantivy ranks as BM25 with b = 0.4 does (0.886 again through the
retriever; ranking alone, benchmarks/lexical_engines.py gives tantivy and bm25s at b = 0.4 the same 0.866).
P is fixed per index when it is built (`padding_for`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import tantivy

from retrieval.index.catalog_reads import ARTICLE_BASE  # an article document's key: this + its row id

KEY = "key"
TOKENS = "tokens"
ARTICLE_TOKENS = "article_tokens"  # one document per article: its title and all its passages

PAD = "~~"  # never one of the analyser's tokens (a stem token is "~" and at least one letter)
TANTIVY_B = 0.75
WANTED_B = 0.4  # BM25's b measured best on bn-news-qa (0.885 vs 0.881 Recall@1 with 0.75)
WRITER_HEAP_BYTES = 64_000_000  # per update; tantivy flushes a segment when it is full
TOKENIZER = "ws"
LOCK_FILES = frozenset({".tantivy-writer.lock", ".tantivy-meta.lock"})


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field(KEY, indexed=True, fast=True)
    builder.add_text_field(TOKENS, tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_text_field(ARTICLE_TOKENS, tokenizer_name=TOKENIZER, index_option="freq")
    return builder.build()


class LexicalIndex:
    """One tantivy index folder: `writer()` for updates, `reader()` for searches."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self._index = tantivy.Index(_schema(), path=str(directory), reuse=True)
        self._index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
        self._index.config_reader(reload_policy="manual")
        self._schema = self._index.schema

    def reader(self, passages: int) -> LexicalReader:
        """A searcher of the last commit, as of now: later commits are not seen by it. `passages`: how
        many passages the catalog serves (the N of IDF; tantivy also counts article documents)."""
        self._index.reload()
        return LexicalReader(self._index.searcher(), self._schema, passages)

    def writer(self, padding: int = 0) -> LexicalWriter:
        """A writer that pads each added document with `padding` PAD tokens (see the module docstring)."""
        return LexicalWriter(self._index.writer(heap_size=WRITER_HEAP_BYTES, num_threads=1), self._schema, padding)

    def files(self) -> list[Path]:
        """The index's own files (not tantivy's lock files)."""
        return sorted(p for p in self.directory.iterdir() if p.is_file() and p.name not in LOCK_FILES)


class LexicalWriter:
    """Adds and deletes passages by key; nothing is visible before `commit`, which `close` awaits merges of."""

    def __init__(self, writer: tantivy.IndexWriter, schema: tantivy.Schema, padding: int = 0) -> None:
        self._writer = writer
        self._schema = schema
        self._closed = False
        self._pad = (" " + " ".join([PAD] * padding)) if padding > 0 else ""

    def add(self, key: int, tokens: Sequence[str]) -> None:
        document = tantivy.Document()
        document.add_unsigned(KEY, key)
        document.add_text(TOKENS, " ".join(tokens) + self._pad)
        self._writer.add_document(document)

    def add_article(self, article_id: int, tokens: Sequence[str]) -> None:
        """An article as one document (title and every passage): the evidence that it is about the
        question, for passages that do not name their subject themselves."""
        document = tantivy.Document()
        document.add_unsigned(KEY, ARTICLE_BASE + article_id)
        document.add_text(ARTICLE_TOKENS, " ".join(tokens))
        self._writer.add_document(document)

    def delete(self, keys: Iterable[int]) -> None:
        """Delete passages by key (a term-set query: deleting by term does not match an unsigned field)."""
        batch = list(keys)
        for start in range(0, len(batch), 10_000):
            self._writer.delete_documents_by_query(
                tantivy.Query.term_set_query(self._schema, KEY, batch[start : start + 10_000])
            )

    def commit(self) -> None:
        self._writer.commit()

    def close(self) -> None:
        """Wait for the merges a commit started, then release the index's writer lock (once; uncommitted
        additions are dropped)."""
        if not self._closed:
            self._closed = True
            self._writer.wait_merging_threads()


class LexicalReader:
    """BM25 search and term statistics over one commit."""

    def __init__(self, searcher: tantivy.Searcher, schema: tantivy.Schema, passages: int) -> None:
        self._searcher = searcher
        self._schema = schema
        self.n_docs = passages

    def doc_freq(self, token: str) -> int:
        return int(self._searcher.doc_freq(TOKENS, token))

    def idf(self, token: str) -> float:
        """BM25-style IDF; a word the corpus never uses gets the highest value."""
        df = self.doc_freq(token)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def knows(self, token: str) -> bool:
        return self.doc_freq(token) > 0

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Top-k (passage key, BM25 score), best first."""
        return self._search(TOKENS, tokens, k)

    def search_articles(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Top-k (article row id, BM25 score) over whole articles, best first."""
        return [(key - ARTICLE_BASE, score) for key, score in self._search(ARTICLE_TOKENS, tokens, k)]

    def _search(self, field: str, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        if k <= 0 or self.n_docs == 0:
            return []
        terms = [tantivy.Query.term_query(self._schema, field, t) for t in tokens if t]
        if not terms:
            return []
        query = tantivy.Query.boolean_query([(tantivy.Occur.Should, term) for term in terms])
        hits = self._searcher.search(query, limit=k, count=False).hits
        if not hits:
            return []
        keys = self._searcher.fast_field_values(KEY, [address for _, address in hits])
        return [(int(key), float(score)) for (score, _), key in zip(hits, keys, strict=True) if key is not None]


def padding_for(average_tokens: float) -> int:
    """PAD tokens per document that make tantivy's b = 0.75 rank as b = WANTED_B for documents of this
    average length (in tokens)."""
    return max(0, round(average_tokens * (TANTIVY_B / WANTED_B - 1)))


class LexicalStore:
    """A store's two indexes: passages in lexical/<store>/ and whole articles in its articles/ folder.
    Apart, so the articles' documents never count in the passages' BM25 statistics (they did cost
    bn-news-qa Recall@1 0.885 -> 0.883 in one index)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.passages = LexicalIndex(directory)
        self.articles = LexicalIndex(directory / "articles")

    def parts(self) -> list[tuple[str, LexicalIndex]]:
        """(name under which the catalog records its files, index)."""
        return [("", self.passages), ("articles", self.articles)]

    def writer(self, padding: int = 0) -> StoreWriter:
        return StoreWriter(self.passages.writer(padding), self.articles.writer())


class StoreWriter:
    """Writes passages and articles of one update to their indexes; both are committed before the flip."""

    def __init__(self, passages: LexicalWriter, articles: LexicalWriter) -> None:
        self.passages = passages
        self.articles = articles

    def add(self, key: int, tokens: Sequence[str]) -> None:
        self.passages.add(key, tokens)

    def add_article(self, article_id: int, tokens: Sequence[str]) -> None:
        self.articles.add_article(article_id, tokens)

    def delete(self, keys: Iterable[int]) -> None:
        keys = list(keys)
        self.passages.delete([k for k in keys if k < ARTICLE_BASE])
        self.articles.delete([k for k in keys if k >= ARTICLE_BASE])

    def commit(self) -> None:
        self.passages.commit()
        self.articles.commit()

    def close(self) -> None:
        self.passages.close()
        self.articles.close()
