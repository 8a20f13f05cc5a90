"""Three lexical engines fed the same analysed tokens: tantivy (as retrieval.index.lexical uses it), SQLite
FTS5 and bm25s with delta segments, in one run.

    python -m benchmarks.lexical_engines [--synthetic 50000] [--limit N] [--work DIR] [--cache DIR]

Every engine indexes the analyser's tokens of a passage, index_tokens(terms(index_text(title, text))) (a
surface and a "~stem" token per word, as retrieval.index.update writes them), and is asked with
index_tokens(analyse(question).content) (as the retriever asks, without its sound-alike expansion).

  tantivy       retrieval.index.lexical.LexicalIndex itself: whitespace tokenizer, key fast field, each
                document padded with padding_for(average length) PAD tokens so tantivy's b = 0.75 ranks
                as b = 0.4; k1 = 1.2 (tantivy's, fixed).
  fts5          a contentless FTS5 table (tokenize 'ascii'); every distinct token is replaced by an ASCII
                base-36 surrogate (kept in a vocabulary table of the same database) because unicode61
                cuts Bengali words at vowel signs; the same padding as tantivy (FTS5's bm25() is also
                k1 = 1.2, b = 0.75); ranked by bm25(). WAL, synchronous=FULL. A contentless table of
                SQLite < 3.43 deletes a row by being handed its tokens again ('delete' command).
  bm25s-delta   a bm25s index (k1 = 1.2, b = 0.4) built once and saved, plus a delta held in memory
                (postings of the added documents) and a set of deleted keys, made durable by appending
                each change to a log (fsync). Scores: every term's base contribution is rescaled by
                idf(df_base + df_delta, N_base + N_delta) / idf_base, and delta documents are scored with
                that IDF and the base's average length. Approximated: deleted documents still count in
                N and df (as in Lucene until a merge) and the average length is the base's.

Quality on bn-news-qa (each record one document; byte-identical passages count as the gold): Recall@1,
Recall@5, MRR@10 for every engine, FTS5 also unpadded (b = 0.75), bm25s-delta once as one base and once as
a base of 90% of the passages plus the other 10% added through the delta, and the plain baseline of
benchmarks/bn_news_qa.py (bm25s k1 = 0.9, b = 0.4 over whitespace+punctuation tokens of the raw text).

Speed and size (FTS5 padded and unpadded: FTS5 needs detail=full for bm25()'s term frequencies, so every
PAD token costs a stored position) on the synthetic corpus of benchmarks/synthetic_corpus.py (one passage a
paragraph; the questions are 200 of bn-news-qa's, spread over the file, whose words it is drawn from): build
seconds (to a committed index on disk), index bytes on disk, query p50/p95 ms over 200 questions (top 10),
add one document + commit ms and delete one + commit ms (p50 and max over 20; "commit" = durable and
visible to the next search). Each engine is measured in its own fresh process, whose peak RSS during the
build is VmHWM from /proc/self/status after resetting it through /proc/self/clear_refs (falling back to
resource.getrusage's ru_maxrss), less the RSS before the build (the tokens already loaded).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

import bm25s
import numpy as np

from benchmarks.bn_news_qa import _rank, plain_tokens, scores
from benchmarks.common import read_bn_news_qa
from benchmarks.synthetic_corpus import ARTICLES_PER_SHARD, PASSAGES_PER_ARTICLE, make_corpus
from retrieval import (
    PAD,
    WANTED_B,
    LexicalIndex,
    LexicalReader,
    analyse,
    group_identical,
    index_text,
    index_tokens,
    padding_for,
    terms,
)

K = 10
K1 = 1.2  # tantivy's and FTS5's fixed k1; bm25s-delta uses it too so the three rank alike
SPEED_QUESTIONS = 200
UPDATES = 20
ENGINES = ("tantivy", "fts5", "fts5-unpadded", "bm25s-delta")

Tokens = Sequence[str]


def doc_tokens(title: str | None, text: str) -> list[str]:
    """What retrieval.index.update hands the lexical index for a passage."""
    return index_tokens(terms(index_text(title, text)))


def query_tokens(question: str) -> list[str]:
    """What the retriever searches the lexical index with (QueryTerms.tokens without sound-alikes)."""
    return index_tokens(analyse(question).content)


class Engine(Protocol):
    def build(self, docs: Sequence[Tokens]) -> None:
        """Index docs under keys 0..len-1, committed to disk and searchable."""

    def search(self, tokens: Tokens, k: int) -> list[int]:
        """Keys of the top k, best first."""

    def add(self, key: int, tokens: Tokens) -> None:
        """Add one document and commit."""

    def delete(self, key: int, tokens: Tokens) -> None:
        """Delete one document and commit (tokens: what it was indexed with)."""

    def disk_bytes(self) -> int: ...

    def close(self) -> None: ...


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _padding(docs: Sequence[Tokens]) -> int:
    return padding_for(sum(len(d) for d in docs) / len(docs)) if docs else 0


class TantivyEngine:
    """The project's own index class; a writer per update, opened and closed as retrieval.index.update does."""

    def __init__(self, directory: Path) -> None:
        self._index = LexicalIndex(directory)
        self._padding = 0
        self._count = 0
        self._reader: LexicalReader | None = None

    def build(self, docs: Sequence[Tokens]) -> None:
        self._padding = _padding(docs)
        writer = self._index.writer(self._padding)
        try:
            for key, tokens in enumerate(docs):
                writer.add(key, tokens)
            writer.commit()
        finally:
            writer.close()
        self._count = len(docs)
        self._reader = self._index.reader(self._count)

    def search(self, tokens: Tokens, k: int) -> list[int]:
        assert self._reader is not None
        return [key for key, _ in self._reader.search(tokens, k)]

    def add(self, key: int, tokens: Tokens) -> None:
        writer = self._index.writer(self._padding)
        try:
            writer.add(key, tokens)
            writer.commit()
        finally:
            writer.close()
        self._count += 1
        self._reader = self._index.reader(self._count)

    def delete(self, key: int, tokens: Tokens) -> None:
        writer = self._index.writer(self._padding)
        try:
            writer.delete([key])
            writer.commit()
        finally:
            writer.close()
        self._count -= 1
        self._reader = self._index.reader(self._count)

    def disk_bytes(self) -> int:
        return _folder_bytes(self._index.directory)

    def close(self) -> None:
        self._reader = None


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out


class Fts5Engine:
    """A contentless FTS5 table over ASCII surrogates of the tokens, rowid = key."""

    def __init__(self, path: Path, *, pad: bool = True) -> None:
        self._path = path
        self._pad = pad
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("CREATE VIRTUAL TABLE docs USING fts5(tokens, content='', tokenize='ascii')")
        self._db.execute("CREATE TABLE vocab (token TEXT PRIMARY KEY, code TEXT NOT NULL) WITHOUT ROWID")
        self._codes: dict[str, str] = {}
        self._padding = ""

    def _text(self, tokens: Tokens, fresh: list[tuple[str, str]]) -> str:
        out = []
        for token in tokens:
            code = self._codes.get(token)
            if code is None:
                code = self._codes[token] = _base36(len(self._codes))
                fresh.append((token, code))
            out.append(code)
        return " ".join(out) + self._padding

    def build(self, docs: Sequence[Tokens]) -> None:
        fresh: list[tuple[str, str]] = []
        if self._pad:
            padding = _padding(docs)
            self._padding = (" " + " ".join([self._text([PAD], fresh)] * padding)) if padding else ""
        self._db.execute("BEGIN")
        self._db.executemany(
            "INSERT INTO docs(rowid, tokens) VALUES (?, ?)", ((k, self._text(d, fresh)) for k, d in enumerate(docs))
        )
        self._db.executemany("INSERT INTO vocab VALUES (?, ?)", fresh)
        self._db.execute("COMMIT")
        self._db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def search(self, tokens: Tokens, k: int) -> list[int]:
        codes = [self._codes[t] for t in tokens if t in self._codes]
        if not codes:
            return []
        match = " OR ".join(f'"{c}"' for c in codes)
        rows = self._db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k))
        return [int(r[0]) for r in rows]

    def add(self, key: int, tokens: Tokens) -> None:
        fresh: list[tuple[str, str]] = []
        text = self._text(tokens, fresh)
        self._db.execute("BEGIN")
        self._db.execute("INSERT INTO docs(rowid, tokens) VALUES (?, ?)", (key, text))
        self._db.executemany("INSERT INTO vocab VALUES (?, ?)", fresh)
        self._db.execute("COMMIT")

    def delete(self, key: int, tokens: Tokens) -> None:
        text = self._text(tokens, [])  # every token of an indexed document has its code already
        self._db.execute("BEGIN")
        self._db.execute("INSERT INTO docs(docs, rowid, tokens) VALUES ('delete', ?, ?)", (key, text))
        self._db.execute("COMMIT")

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self._path.parent.glob(self._path.name + "*"))

    def close(self) -> None:
        self._db.close()


def _idf(df: np.ndarray | int, n: int) -> Any:
    return np.log(1 + (n - df + 0.5) / (np.asarray(df) + 0.5))


class Bm25sDeltaEngine:
    """A bm25s base (keys 0..n-1 are its rows), a delta of added documents, a set of deleted keys."""

    def __init__(self, directory: Path, *, k1: float = K1, b: float = WANTED_B) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._directory = directory
        self._k1 = k1
        self._b = b
        self._base = bm25s.BM25(k1=k1, b=b)
        self._base_n = 0
        self._avgdl = 1.0
        self._data = self._indices = self._indptr = self._idf_base = np.zeros(0)
        self._vocab: dict[str, int] = {}
        self._delta: dict[int, tuple[dict[str, int], int]] = {}  # key -> (term frequencies, length)
        self._postings: dict[str, dict[int, int]] = {}  # delta token -> {key: tf}
        self._deleted: set[int] = set()
        self._log = (directory / "delta.log").open("a", encoding="utf-8")

    def build(self, docs: Sequence[Tokens]) -> None:
        self._base.index([list(d) for d in docs], show_progress=False)
        self._base.save(str(self._directory / "base"), show_progress=False)
        scores_ = self._base.scores
        self._data, self._indices, self._indptr = scores_["data"], scores_["indices"], scores_["indptr"]
        self._vocab = dict(self._base.vocab_dict)
        self._base_n = len(docs)
        self._avgdl = max(1.0, sum(len(d) for d in docs) / max(1, len(docs)))
        self._idf_base = _idf(np.diff(self._indptr), self._base_n)

    def search(self, tokens: Tokens, k: int) -> list[int]:
        n = self._base_n + len(self._delta)
        base = np.zeros(self._base_n, dtype=np.float32)
        delta: dict[int, float] = {}
        for token in tokens:
            tid = self._vocab.get(token)
            postings = self._postings.get(token, {})
            df_base = int(self._indptr[tid + 1] - self._indptr[tid]) if tid is not None else 0
            if df_base == 0 and not postings:
                continue
            idf = float(_idf(df_base + len(postings), n))
            if tid is not None and df_base:
                start, end = int(self._indptr[tid]), int(self._indptr[tid + 1])
                base[self._indices[start:end]] += self._data[start:end] * np.float32(idf / self._idf_base[tid])
            for key, tf in postings.items():
                length = self._delta[key][1]
                norm = self._k1 * (1 - self._b + self._b * length / self._avgdl)
                delta[key] = delta.get(key, 0.0) + idf * tf / (tf + norm)
        if self._deleted:
            base[[key for key in self._deleted if key < self._base_n]] = 0
        top = np.argpartition(-base, k)[:k] if self._base_n > k else np.arange(self._base_n)
        found = [(float(base[i]), int(i)) for i in top if base[i] > 0]
        found += [(score, key) for key, score in delta.items() if score > 0]
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return [key for _, key in found[:k]]

    def _commit(self, change: dict[str, Any]) -> None:
        self._log.write(json.dumps(change, ensure_ascii=False) + "\n")
        self._log.flush()
        os.fsync(self._log.fileno())

    def add(self, key: int, tokens: Tokens) -> None:
        counts: dict[str, int] = {}
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
        self._commit({"add": key, "tokens": list(tokens)})
        self._delta[key] = (counts, len(tokens))
        for token, tf in counts.items():
            self._postings.setdefault(token, {})[key] = tf

    def delete(self, key: int, tokens: Tokens) -> None:
        self._commit({"delete": key})
        if key in self._delta:
            for token in self._delta.pop(key)[0]:
                self._postings[token].pop(key, None)
                if not self._postings[token]:
                    del self._postings[token]
        else:
            self._deleted.add(key)

    def disk_bytes(self) -> int:
        return _folder_bytes(self._directory)

    def close(self) -> None:
        self._log.close()


def make_engine(name: str, folder: Path) -> Engine:
    if name == "tantivy":
        return TantivyEngine(folder / "tantivy")
    if name == "fts5":
        folder.mkdir(parents=True, exist_ok=True)
        return Fts5Engine(folder / "fts5.sqlite")
    if name == "fts5-unpadded":
        folder.mkdir(parents=True, exist_ok=True)
        return Fts5Engine(folder / "fts5-unpadded.sqlite", pad=False)
    if name == "bm25s-delta":
        return Bm25sDeltaEngine(folder / "bm25s")
    raise ValueError(name)


# --- quality on bn-news-qa ----------------------------------------------------------------------------


def quality(work: Path, limit: int) -> list[tuple[str, dict[str, float]]]:
    passages = read_bn_news_qa("passages")
    questions = read_bn_news_qa("questions-train")
    if limit:
        questions = questions[:limit]
    ids = [str(p["id"]) for p in passages]
    groups = group_identical({str(p["id"]): str(p["text"]) for p in passages})
    docs = [doc_tokens(p.get("title"), str(p["text"])) for p in passages]
    asked = [query_tokens(str(q["question"])) for q in questions]
    golds = [str(q["doc"]) for q in questions]

    def judged(found: Sequence[Sequence[int]]) -> dict[str, float]:
        return scores([_rank([ids[i] for i in keys], gold, groups) for keys, gold in zip(found, golds, strict=True)])

    out = []
    baseline = bm25s.BM25(k1=0.9, b=0.4)
    baseline.index([plain_tokens(str(p["text"])) for p in passages], show_progress=False)
    plain = []
    for q in questions:
        s = baseline.get_scores(plain_tokens(str(q["question"])))
        plain.append([int(i) for i in np.argsort(-s, kind="stable")[:K] if s[i] > 0])
    out.append(("plain bm25s (whitespace+punct)", judged(plain)))

    for name in ("tantivy", "fts5", "fts5-unpadded", "bm25s-delta"):
        engine = make_engine(name, work / "quality" / name)
        engine.build(docs)
        out.append((name, judged([engine.search(tokens, K) for tokens in asked])))
        engine.close()

    split = len(docs) * 9 // 10
    engine = make_engine("bm25s-delta", work / "quality" / "bm25s-delta-split")
    engine.build(docs[:split])
    for key in range(split, len(docs)):
        engine.add(key, docs[key])
    out.append((f"bm25s-delta 90% base + {len(docs) - split} added", judged([engine.search(t, K) for t in asked])))
    engine.close()
    return out


# --- speed and size on the synthetic corpus -----------------------------------------------------------


def synthetic_docs(cache: Path, work: Path, count: int) -> list[list[str]]:
    """count + UPDATES passages of the synthetic corpus (one a paragraph), analysed."""
    per_shard = ARTICLES_PER_SHARD * PASSAGES_PER_ARTICLE
    corpus = work / "synthetic"
    shards = make_corpus(cache, corpus, count + per_shard)
    docs: list[list[str]] = []
    for index in range(shards):
        with (corpus / f"shard_{index:05}.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                for paragraph in str(record["text"]).split("\n\n"):
                    docs.append(doc_tokens(record.get("title"), paragraph))
                    if len(docs) == count + UPDATES:
                        return docs
    raise ValueError(f"the synthetic corpus holds {len(docs)} passages, fewer than {count + UPDATES}")


def save_tokens(path: Path, docs: Sequence[Tokens], queries: Sequence[Tokens]) -> None:
    """Tokens as a vocabulary and integer arrays: quick for a fresh process to load."""
    vocab: dict[str, int] = {}
    flat: list[int] = []
    offsets = [0]
    for tokens in list(docs) + list(queries):
        flat.extend(vocab.setdefault(t, len(vocab)) for t in tokens)
        offsets.append(len(flat))
    np.savez(path, flat=np.array(flat, dtype=np.int32), offsets=np.array(offsets, dtype=np.int64))
    path.with_suffix(".json").write_text(
        json.dumps({"vocab": list(vocab), "docs": len(docs), "queries": len(queries)}, ensure_ascii=False)
    )


def load_tokens(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    meta = json.loads(path.with_suffix(".json").read_text())
    vocab: list[str] = meta["vocab"]
    arrays = np.load(path)
    flat, offsets = arrays["flat"].tolist(), arrays["offsets"].tolist()
    lists = [[vocab[i] for i in flat[offsets[j] : offsets[j + 1]]] for j in range(len(offsets) - 1)]
    return lists[: meta["docs"]], lists[meta["docs"] :]


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _ms(samples: Sequence[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


def measure(name: str, data: str, folder: str) -> dict[str, Any]:
    """One engine's build, size, query and update costs, in a fresh process (for its peak RSS)."""
    import resource
    import statistics as stats

    docs, queries = load_tokens(Path(data))
    base, extra = docs[:-UPDATES], docs[-UPDATES:]
    engine = make_engine(name, Path(folder))
    before = _status_kib("VmRSS")
    reset = _reset_peak()
    started = time.perf_counter()
    engine.build(base)
    build = time.perf_counter() - started
    if reset:
        peak, how = _status_kib("VmHWM"), "VmHWM"
    else:
        peak, how = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), "ru_maxrss"
    disk = engine.disk_bytes()
    engine.search(queries[0], K)
    times = []
    for tokens in queries:
        t = time.perf_counter()
        engine.search(tokens, K)
        times.append(time.perf_counter() - t)
    adds = []
    for n, tokens in enumerate(extra):
        t = time.perf_counter()
        engine.add(len(base) + n, tokens)
        adds.append(time.perf_counter() - t)
    added_found = engine.search(extra[-1], 1) == [len(base) + UPDATES - 1]
    deletes = []
    victims = [(n * 2_503) % len(base) for n in range(UPDATES)]
    for key in victims:
        t = time.perf_counter()
        engine.delete(key, base[key])
        deletes.append(time.perf_counter() - t)
    deleted_gone = victims[-1] not in engine.search(base[victims[-1]], K)
    result = {
        "engine": name,
        "build_s": build,
        "disk_bytes": disk,
        "peak_build_mib": (peak - before) / 1024,
        "peak_mib": peak / 1024,
        "rss_how": how,
        "q_p50": _ms(times, 50),
        "q_p95": _ms(times, 95),
        "add_p50": _ms(adds, 50),
        "add_max": max(adds) * 1000,
        "del_p50": _ms(deletes, 50),
        "del_max": max(deletes) * 1000,
        "checks": ("ok" if added_found else "ADDED NOT FOUND") + "/" + ("ok" if deleted_gone else "DELETED FOUND"),
        "mean_tokens": stats.mean(len(d) for d in base),
    }
    engine.close()
    return result


def speed(count: int, cache: Path, work: Path) -> tuple[list[dict[str, Any]], float]:
    started = time.perf_counter()
    docs = synthetic_docs(cache, work, count)
    questions = read_bn_news_qa("questions-train")
    step = max(1, len(questions) // SPEED_QUESTIONS)
    queries = [query_tokens(str(q["question"])) for q in questions[::step][:SPEED_QUESTIONS]]
    data = work / "synthetic-tokens.npz"
    save_tokens(data, docs, queries)
    prepared = time.perf_counter() - started
    results = []
    for name in ENGINES:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            results.append(pool.submit(measure, name, str(data), str(work / "speed" / name)).result())
    return results, prepared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--synthetic", type=int, default=50_000, help="synthetic passages (0: skip speed)")
    parser.add_argument("--limit", type=int, default=0, help="first N bn-news-qa questions only (0: all)")
    parser.add_argument("--work", type=Path, help="folder for the indexes (default: a temp folder, removed)")
    parser.add_argument("--cache", type=Path, help="synthetic shard cache (default: <work>/shards)")
    args = parser.parse_args()
    started = time.perf_counter()
    work = Path(args.work or tempfile.mkdtemp(prefix="sondhani-lexbench-"))
    work.mkdir(parents=True, exist_ok=True)
    for old in ("quality", "speed", "synthetic"):
        shutil.rmtree(work / old, ignore_errors=True)
    try:
        print(
            f"tantivy {version('tantivy')}, SQLite {sqlite3.sqlite_version}, bm25s {version('bm25s')}; "
            f"{os.cpu_count()} CPUs"
        )
        found = quality(work, args.limit)
        print(f"\nbn-news-qa train, {'all' if not args.limit else f'first {args.limit}'} questions, top {K}:")
        print(f"{'engine':<34} {'R@1':>6} {'R@5':>6} {'MRR@10':>7}")
        for label, s in found:
            print(f"{label:<34} {s['recall@1']:>6.3f} {s['recall@5']:>6.3f} {s['mrr@10']:>7.3f}")
        if args.synthetic:
            results, prepared = speed(args.synthetic, args.cache or work / "shards", work)
            tokens = statistics.mean(r["mean_tokens"] for r in results)
            print(
                f"\nsynthetic: {args.synthetic} passages ({tokens:.0f} tokens each on average; generated and "
                f"analysed in {prepared:.0f} s), {SPEED_QUESTIONS} questions, {UPDATES} adds and deletes:"
            )
            print(
                f"{'engine':<13} {'build s':>8} {'disk MB':>8} {'build RSS+ MiB':>14} {'q p50':>6} {'q p95':>6} "
                f"{'add p50/max ms':>15} {'del p50/max ms':>15} {'checks':>7}"
            )
            for r in results:
                print(
                    f"{r['engine']:<13} {r['build_s']:>8.1f} {r['disk_bytes'] / 1e6:>8.1f} "
                    f"{r['peak_build_mib']:>8.0f} ({r['peak_mib']:.0f}) {r['q_p50']:>6.1f} {r['q_p95']:>6.1f} "
                    f"{r['add_p50']:>7.1f}/{r['add_max']:<7.1f} {r['del_p50']:>7.1f}/{r['del_max']:<7.1f} "
                    f"{r['checks']}"
                )
            print(f"peak RSS: {results[0]['rss_how']} of the build less RSS before it (in parentheses: the peak)")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nelapsed {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
