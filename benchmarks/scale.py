"""How the costs of indexing and serving grow with the corpus: 10k to 1M synthetic passages.

    python -m benchmarks.scale [--sizes 10000,50000,200000,1000000] [--dense off,on] [--work DIR]

For each size and dense mode, in a fresh state directory, with `sondhani` run as its own process (as
an operator runs it; wall time and peak RSS of that process):
  full build, no-op `index`, add one article, edit one, remove one (each a re-index), cold `ask`,
  warm p50/p95 over 50 questions (`ask --json`, one process), serving RSS, state size.
The 50 questions are word spans of the corpus, which the lexical side answers with confidence, so they
are not embedded (RetrievalTuning.skip_model_when_lexical_sure). Dense on, the questions that need the
model are measured apart: cold `ask`, warm p50/p95 and serving RSS over English news questions the
Bengali corpus does not hold, each embedded and searched in Chroma.
Dense on: the passages' vectors are SYNTHETIC (a fixed random projection of their words, made by an
encoder that names itself as the bundled model) and written into the embedding cache and Chroma by the
full build; every later run loads the real bundled model, which embeds the questions and any new
passage. The real model's rate on real passages is measured at the end.

The corpus (benchmarks/synthetic_corpus.py) is linked, never copied; shards are cached under --work.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from benchmarks.common import REPO, read_bn_news_qa
from benchmarks.synthetic_corpus import ARTICLES_PER_SHARD, Vocabulary, make_corpus, shard_name
from retrieval import BUNDLED_MODEL, EngineConfig, SearchEngine

QUESTIONS = 50
# Questions that take the dense path over a synthetic Bengali corpus: English, in words it does not hold.
MODEL_QUESTIONS = [
    "How many people were injured in the floods this year?",
    "What did the central bank decide about interest rates?",
    "Who won the national cricket championship final?",
    "Why did fuel prices rise again last month?",
    "When will the new metro line open to passengers?",
    "What is the government's plan for rural electricity?",
    "How much rice was imported during the shortage?",
    "Which companies were fined for polluting the river?",
    "What did the health ministry say about dengue cases?",
    "How many students passed the secondary school examination?",
    "Where was the earthquake felt most strongly?",
    "What caused the fire at the garment factory?",
    "Who was appointed as the new chief justice?",
    "How long will the road construction take?",
    "What happened at the border talks with the neighbouring country?",
    "Why are farmers protesting against the new law?",
    "How many tourists visited the beaches during the holidays?",
    "What did the opposition leader demand from parliament?",
    "When is the next general election expected?",
    "How is the city preparing for the cyclone?",
    "What reforms were announced for the railway service?",
    "How many migrant workers returned home this winter?",
    "What was decided at the climate conference?",
    "Who is responsible for the bank loan scandal?",
    "How much did exports of jute goods grow?",
    "What are the new rules for mobile financial services?",
    "Why was the bridge closed to heavy vehicles?",
    "How many hospitals lack enough doctors and nurses?",
    "What did the court rule about the land dispute?",
    "How will the budget affect the price of electricity?",
]


@dataclass
class Run:
    """One process's wall time, peak RSS (MB) and output."""

    seconds: float
    rss_mb: float
    stdout: str
    stderr: str
    code: int


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> Run:
    """`sondhani ARGS` as its own process."""
    return run_python(["-m", "bot", *args], env, stdin)


def run_python(args: list[str], env: dict[str, str], stdin: str | None = None) -> Run:
    """`python ARGS` as its own process: wall time, and that process's own peak RSS (wait4's rusage)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        env=env,
        cwd=REPO,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    outputs: dict[str, str] = {}

    def drain(name: str, stream: IO[str] | None) -> None:
        outputs[name] = stream.read() if stream is not None else ""

    streams = (("out", process.stdout), ("err", process.stderr))
    readers = [threading.Thread(target=drain, args=(name, stream)) for name, stream in streams]
    for reader in readers:
        reader.start()
    if stdin is not None and process.stdin is not None:
        process.stdin.write(stdin)
        process.stdin.close()
    for reader in readers:
        reader.join()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    return Run(seconds, usage.ru_maxrss / 1024, outputs["out"], outputs["err"], process.returncode)


@dataclass
class Row:
    size: int
    dense: str
    cells: dict[str, str] = field(default_factory=dict)


def environment(corpus: Path, state: Path, dense: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SONDHANI_")}
    env.update(
        SONDHANI_DATA_DIR=str(corpus),
        SONDHANI_STATE_DIR=str(state),
        SONDHANI_DENSE=dense,
        SONDHANI_LOG_LEVEL="WARNING",
        SONDHANI_EMBEDDING_MODEL=BUNDLED_MODEL,
    )
    return env


class SyntheticEncoder:
    """Vectors for passages without a model: each word a fixed random 384-d direction, a passage the
    normalised sum of its words' (so passages sharing words are close, as with real embeddings)."""

    def __init__(self, identity: str, dimension: int = 384, buckets: int = 1 << 16) -> None:
        self._identity = identity
        self._dimension = dimension
        self._table = np.random.default_rng(7).standard_normal((buckets, dimension)).astype(np.float32)
        self._buckets = buckets

    @property
    def identity(self) -> str:
        return self._identity

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self._dimension), np.float32)
        for i, text in enumerate(texts):
            rows = [hash(word) % self._buckets for word in text.split()]
            vector = self._table[rows].sum(axis=0) if rows else self._table[0]
            out[i] = vector / (np.linalg.norm(vector) or 1.0)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.embed_documents([text])[0]
        return vector

    def bengali_coverage(self, sample_words: object) -> float:
        return 1.0


def prefill(corpus: Path, state: Path) -> None:
    """The dense-on full build with synthetic vectors (run in its own process: see `main`)."""
    os.environ["PYTHONHASHSEED"] = "0"
    config = EngineConfig(data_dir=corpus, state_dir=state, dense_mode="on")
    identity = _bundled_identity()
    with SearchEngine.open(config, encoder=SyntheticEncoder(identity)) as engine:
        report = engine.reindex()
    print(json.dumps({"passages": report.passages, "embedded": report.embedded}))


def _bundled_identity() -> str:
    from retrieval import load_encoder

    return load_encoder(BUNDLED_MODEL).identity


def questions_from(corpus: Path, count: int) -> list[str]:
    """Questions of 6-10 words taken from passages of the corpus's last shard (a shard every size has)."""
    rng = np.random.default_rng(11)
    (first,) = sorted(corpus.glob("shard_*.jsonl"))[:1]
    records = [json.loads(line) for line in first.read_text("utf-8").splitlines()]
    out = []
    for _ in range(count):
        text = records[int(rng.integers(len(records)))]["text"]
        words = text.replace("।", " ").split()
        start = int(rng.integers(0, max(1, len(words) - 10)))
        out.append(" ".join(words[start : start + int(rng.integers(6, 11))]) + "?")
    return out


def new_article(corpus: Path, name: str, words: list[str]) -> None:
    body = "\n\n".join(" ".join(words[i : i + 12]) + "।" for i in range(0, len(words), 12))
    (corpus / f"{name}.md").write_text(f"---\ntitle: নতুন খবর {name}\nsource: পরীক্ষা\n---\n{body}\n", "utf-8")


def edit_one(corpus: Path, cache: Path, shards: int) -> None:
    """Change one article of the last shard: its link is replaced by an edited copy (the cache stays)."""
    link = corpus / shard_name(shards - 1)
    lines = (cache / shard_name(shards - 1)).read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record["text"] += "\n\nসংশোধনী: এই খবরে একটি তথ্য সংশোধন করা হয়েছে।"
    lines[0] = json.dumps(record, ensure_ascii=False)
    link.unlink()
    link.write_text("\n".join(lines) + "\n", "utf-8")


def du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure(size: int, dense: str, work: Path, vocabulary: Vocabulary, keep: bool = False) -> Row:
    row = Row(size, dense)
    case = work / f"{dense}-{size}"
    shutil.rmtree(case, ignore_errors=True)
    corpus, state = case / "corpus", case / "state"
    shards = make_corpus(work / "shards", corpus, size, vocabulary)
    env = environment(corpus, state, dense)
    if dense == "on":
        build = run_python(["-m", "benchmarks.scale", "--prefill", str(corpus), str(state)], env)
    else:
        build = run(["index"], env)
    _check(build, "full build")
    row.cells["passages"] = f"{shards * ARTICLES_PER_SHARD * 10:,}"
    row.cells["full build"] = f"{build.seconds:.1f} s"
    row.cells["build peak RSS"] = f"{build.rss_mb / 1024:.2f} GB"
    if dense == "on":  # the real model's first run: the vectors are all cached, nothing to do but load
        _check(run(["index"], env), "first index with the model")
    noop = run(["index"], env)
    _check(noop, "no-op index")
    row.cells["no-op index"] = f"{noop.seconds:.2f} s"
    words = " ".join(questions_from(corpus, 20)).replace("?", "").split()
    adds = []
    for i in range(3):
        new_article(corpus, f"added_{i}", words[i * 40 : i * 40 + 120])
        added = run(["index"], env)
        _check(added, "add one")
        adds.append(added.seconds)
    row.cells["add one"] = f"{min(adds):.2f}-{max(adds):.2f} s"
    edit_one(corpus, work / "shards", shards)
    edited = run(["index"], env)
    _check(edited, "edit one")
    row.cells["edit one"] = f"{edited.seconds:.2f} s"
    (corpus / "added_0.md").unlink()
    removed = run(["index"], env)
    _check(removed, "remove one")
    row.cells["remove one"] = f"{removed.seconds:.2f} s"
    measure_serving(env, row, questions_from(corpus, QUESTIONS))
    if dense == "on":
        measure_serving(env, row, MODEL_QUESTIONS, " (model)")
    row.cells["state size"] = f"{du_mb(state) / 1000:.2f} GB"
    print(f"{dense:>3} {size:>9,}: " + ", ".join(f"{k} {v}" for k, v in row.cells.items()), flush=True)
    if not keep:
        shutil.rmtree(case, ignore_errors=True)
    return row


def measure_serving(env: dict[str, str], row: Row, questions: list[str], label: str = "") -> None:
    """Cold `ask` (its own process), then warm p50/p95 and peak RSS over the questions in one process."""
    cold = run(["ask", questions[0]], env)
    _check(cold, f"cold ask{label}")
    row.cells[f"cold ask{label}"] = f"{cold.seconds:.2f} s"
    warm = run(["ask", "--json"], env, stdin="\n".join(questions) + "\n")
    _check(warm, f"warm questions{label}")
    elapsed = [json.loads(line)["elapsed_ms"] for line in warm.stdout.splitlines()[1:]]  # the first is cold
    row.cells[f"warm p50/p95{label}"] = f"{statistics.median(elapsed):.1f} / {np.percentile(elapsed, 95):.1f} ms"
    row.cells[f"serving RSS{label}"] = f"{warm.rss_mb / 1024:.2f} GB"


def _check(result: Run, what: str) -> None:
    if result.code != 0:
        raise SystemExit(f"{what} failed ({result.code}): {result.stderr.strip().splitlines()[-1:]}")


def model_rate(count: int = 300) -> str:
    """The bundled model's passages per second on real Bengali news passages, one thread."""
    from retrieval import load_encoder

    texts = [str(r["text"]) for r in read_bn_news_qa("passages")[:count]]
    encoder = load_encoder(BUNDLED_MODEL, threads=1)
    encoder.embed_documents(texts[:8])
    started = time.perf_counter()
    for i in range(0, len(texts), 32):
        encoder.embed_documents(texts[i : i + 32])
    rate = len(texts) / (time.perf_counter() - started)
    return f"{rate:.1f} passages/s (1 thread; {3600 * rate:,.0f} an hour; 1M passages in {1e6 / rate / 3600:.1f} h)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000,200000,1000000")
    parser.add_argument("--dense", default="off,on")
    parser.add_argument("--work", type=Path, default=Path("/tmp/sondhani-scale"))
    parser.add_argument("--prefill", nargs=2, type=Path, metavar=("CORPUS", "STATE"), help=argparse.SUPPRESS)
    parser.add_argument("--no-model-rate", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep each case's corpus and state (for profiling)")
    parser.add_argument(
        "--model-questions", type=Path, metavar="CASE", help="only measure the model's questions on a kept case"
    )
    parser.add_argument(
        "--chroma-url", help="with --model-questions: the vectors are served by this `chroma run` server"
    )
    args = parser.parse_args()
    if args.prefill:
        prefill(*args.prefill)
        return
    if args.model_questions:
        row = Row(0, "on")
        env = environment(args.model_questions / "corpus", args.model_questions / "state", "on")
        if args.chroma_url:
            env["SONDHANI_CHROMA_URL"] = args.chroma_url
        measure_serving(env, row, MODEL_QUESTIONS, " (model)")
        print(", ".join(f"{k} {v}" for k, v in row.cells.items()))
        return
    vocabulary = Vocabulary.from_bn_news_qa()
    rows = [
        measure(size, dense, args.work, vocabulary, args.keep)
        for dense in args.dense.split(",")
        for size in (int(s) for s in args.sizes.split(","))
    ]
    columns = list(rows[0].cells) if rows else []
    print("\n| dense | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for row in rows:
        print(f"| {row.dense} | " + " | ".join(row.cells.get(c, "") for c in columns) + " |")
    if "on" in args.dense:
        print("\ndense on: passage vectors are synthetic (random projections); questions use the real model")
    if not args.no_model_rate:
        print("bundled model on real passages:", model_rate())


if __name__ == "__main__":
    main()
