"""Retrieval quality on question files: one JSON object a line, {"id", "question", "kind", "doc",
"answers", "forbid", "docs", "as_of"}, only "question" required (`load_questions`). The hand-written dev questions use
all of them ("kind": lexical, paraphrase, numeric, english, banglish, negative, boilerplate); bn-news-qa's
give "doc", the gold passage's id.

A question is judged by its gold doc id when that id is in the corpus (bn-news-qa), otherwise by
its answer strings (dev.jsonl). Questions with neither (negative, boilerplate) are right when no
passage comes back, or none containing a `forbid` string.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from retrieval.records import Hit, SearchResult
from retrieval.text.analyser import normalize

DEPTH = 10  # ranks looked at for MRR@10 / hit@k


@dataclass
class Question:
    id: str
    question: str
    kind: str
    doc: str | None
    answers: list[str]
    forbid: list[str]
    docs: list[str] = field(default_factory=list)  # every doc that answers (a story several outlets ran)
    as_of: str | None = None  # the day the question is asked (ISO), for "today", "latest", "last week"

    def __post_init__(self) -> None:
        if not self.docs and self.doc:
            self.docs = [self.doc]


@dataclass
class Judgement:
    question: Question
    rank: int | None  # rank of the first correct hit; None when none in the top DEPTH
    answerable: bool
    correct_no_answer: bool  # for unanswerable questions
    returned: int
    elapsed_ms: float
    highlight_answers: bool | None = None  # answer-judged and found: does its highlight hold the answer?


class ReportDict(TypedDict):
    """EvalReport.as_dict(): what `eval --json` prints."""

    overall: dict[str, float]
    per_kind: dict[str, dict[str, float]]
    no_answer: dict[str, int]
    latency_ms: dict[str, float]


@dataclass
class EvalReport:
    judgements: list[Judgement] = field(default_factory=list)

    def answerable(self, kinds: Iterable[str] | None = None) -> list[Judgement]:
        wanted = set(kinds) if kinds is not None else None
        return [j for j in self.judgements if j.answerable and (wanted is None or j.question.kind in wanted)]

    def summary(self, kinds: Iterable[str] | None = None) -> dict[str, float]:
        """hit@1/3/5, MRR@5/10 over answerable questions (optionally of some kinds)."""
        rows = self.answerable(kinds)
        if not rows:
            return {"n": 0}
        n = len(rows)

        def hit(k: int) -> float:
            return sum(1 for j in rows if j.rank is not None and j.rank <= k) / n

        def mrr(k: int) -> float:
            return sum(1 / j.rank for j in rows if j.rank is not None and j.rank <= k) / n

        return {"n": n, "hit@1": hit(1), "hit@3": hit(3), "hit@5": hit(5), "mrr@5": mrr(5), "mrr@10": mrr(10)}

    def no_answer_accuracy(self) -> tuple[int, int]:
        rows = [j for j in self.judgements if not j.answerable]
        return sum(1 for j in rows if j.correct_no_answer), len(rows)

    def highlights(self) -> tuple[int, int]:
        """Of the questions judged by answer strings whose first right passage was found at rank 1, how
        many have the answer inside that passage's highlighted sentence."""
        rows = [j for j in self.judgements if j.highlight_answers is not None and j.rank == 1]
        return sum(1 for j in rows if j.highlight_answers), len(rows)

    def latency(self) -> tuple[float, float]:
        times = sorted(j.elapsed_ms for j in self.judgements)
        if not times:
            return 0.0, 0.0
        return statistics.median(times), times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]

    def kinds(self) -> list[str]:
        return sorted({j.question.kind for j in self.judgements})

    def as_dict(self) -> ReportDict:
        right, total = self.no_answer_accuracy()
        p50, p95 = self.latency()
        return {
            "overall": self.summary(),
            "per_kind": {kind: self.summary([kind]) for kind in self.kinds() if self.answerable([kind])},
            "no_answer": {"correct": right, "total": total},
            "latency_ms": {"p50": round(p50, 2), "p95": round(p95, 2)},
        }


def load_questions(path: Path) -> list[Question]:
    """Read a question file (one JSON object a line)."""
    questions: list[Question] = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        questions.append(
            Question(
                id=str(row.get("id", len(questions))),
                question=row["question"],
                kind=row.get("kind") or "all",
                doc=row.get("doc"),
                answers=list(row.get("answers") or []),
                forbid=list(row.get("forbid") or []),
                docs=[str(d) for d in row.get("docs") or []],
                as_of=row.get("as_of"),
            )
        )
    return questions


def evaluate_questions(
    questions: list[Question],
    search: Callable[[str, int], SearchResult],
    doc_groups: dict[str, str],
    depth: int = DEPTH,
) -> EvalReport:
    """Ask every question; doc_groups maps each doc id to a key shared by byte-identical copies."""
    report = EvalReport()
    for q in questions:
        result = search(q.question, depth)
        report.judgements.append(judge(q, result, doc_groups))
    return report


def judge(q: Question, result: SearchResult, doc_groups: dict[str, str]) -> Judgement:
    """Find the rank of the first correct hit, or whether a no-answer question was left unanswered."""
    by_doc = any(d in doc_groups for d in q.docs)
    answerable = by_doc or bool(q.answers)
    rank = None
    highlight_answers = None
    if answerable:
        for hit in result.hits:
            if _correct(q, hit, doc_groups, by_doc):
                rank = hit.rank
                if not by_doc:
                    highlight_answers = any(normalize(a) in normalize(hit.highlight) for a in q.answers)
                break
    forbidden = [normalize(f) for f in q.forbid]
    correct_no_answer = not answerable and (
        not result.hits if not forbidden else not any(f in normalize(h.text) for h in result.hits for f in forbidden)
    )
    return Judgement(q, rank, answerable, correct_no_answer, len(result.hits), result.elapsed_ms, highlight_answers)


def _correct(q: Question, hit: Hit, doc_groups: dict[str, str], by_doc: bool) -> bool:
    if by_doc:
        return doc_groups.get(hit.doc_id) in {doc_groups[d] for d in q.docs if d in doc_groups}
    text = normalize(hit.text)
    return any(normalize(a) in text for a in q.answers)


def group_identical(texts: dict[str, str]) -> dict[str, str]:
    """Map each doc id to the first id with byte-identical text (bn-news-qa has a few copies)."""
    first: dict[str, str] = {}
    groups = {}
    for doc_id, text in texts.items():
        groups[doc_id] = first.setdefault(text, doc_id)
    return groups


def format_report(report: EvalReport, k: int) -> str:
    """A readable block for the terminal."""
    lines = []
    data = report.as_dict()
    overall = data["overall"]
    lines.append(_summary_line("overall", overall))
    for kind, summary in data["per_kind"].items():
        lines.append(_summary_line(f"  {kind}", summary))
    right, total = report.no_answer_accuracy()
    if total:
        lines.append(f"no-answer accuracy: {right}/{total} = {right / total:.3f}")
    held, first = report.highlights()
    if first:
        lines.append(f"highlight holds the answer: {held}/{first} of the right first passages")
    p50, p95 = report.latency()
    lines.append(f"latency ms: p50 {p50:.1f}  p95 {p95:.1f}  (k={k})")
    return "\n".join(lines)


def _summary_line(label: str, s: dict[str, float]) -> str:
    if not s.get("n"):
        return f"{label}: no answerable questions"
    return (
        f"{label:<14} n={int(s['n']):>5}  hit@1 {s['hit@1']:.3f}  hit@3 {s['hit@3']:.3f}  "
        f"MRR@5 {s['mrr@5']:.3f}  MRR@10 {s['mrr@10']:.3f}"
    )
