"""Which sentence to highlight: the one sharing most of the question's words, or the model's choice?

    python -m benchmarks.highlight_choice [--state DIR] [--limit N]

Over bn-news-qa train questions whose gold passage Sondhani ranks first (default settings) and whose
answer is in that passage, counts how often each way of picking the bold sentence picks one holding
the answer:
  - words: the engine's highlight (the sentence with the most IDF weight of the question's words);
  - first: the passage's first sentence (what a question sharing no word, such as English, gets);
  - model: the sentence the bundled model finds closest to the question (query vs passage embeddings).
Passages of one sentence are counted apart: every way picks the same sentence there.
"""

from __future__ import annotations

import argparse
import logging
import random
from pathlib import Path

import numpy as np

from benchmarks.common import config_for, read_bn_news_qa, temp_corpus
from retrieval import BUNDLED_MODEL, SearchEngine, group_identical, load_encoder, normalize, sentence_ends


def sentences_of(text: str) -> list[str]:
    """The passage cut where the analyser ends sentences (the cuts the highlight chooses between)."""
    cuts = [0, *sentence_ends(text), len(text)]
    return [part for start, end in zip(cuts, cuts[1:], strict=False) if (part := text[start:end].strip())]


def holds(sentence: str, answers: list[str]) -> bool:
    return any(normalize(answer) in normalize(sentence) for answer in answers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", type=Path, help="reuse this state directory (keeps cached embeddings)")
    parser.add_argument("--limit", type=int, default=2000, help="questions sampled (seed 7); 0: all")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    passages = read_bn_news_qa("passages")
    questions = read_bn_news_qa("questions-train")
    if args.limit:
        questions = random.Random(7).sample(questions, min(args.limit, len(questions)))
    groups = group_identical({p["id"]: p["text"] for p in passages})
    encoder = load_encoder(BUNDLED_MODEL)

    counts = {"words": 0, "first": 0, "model": 0}
    judged = single = single_held = 0
    corpus = temp_corpus(with_bn_news_qa=True, bundled=False)
    with SearchEngine.open(config_for(corpus, BUNDLED_MODEL, "auto", args.state)) as engine:
        engine.reindex()
        for q in questions:
            hits = engine.search(q["question"], 1).hits
            answers = [a for a in q["answers"] or [] if a and a.strip()]
            if not hits or not answers or groups.get(hits[0].doc_id, hits[0].doc_id) != groups.get(q["doc"], q["doc"]):
                continue
            hit = hits[0]
            if not holds(hit.text, answers):
                continue
            parts = sentences_of(hit.text)
            if len(parts) < 2:
                single += 1
                single_held += holds(hit.highlight, answers)
                continue
            judged += 1
            similarities = encoder.embed_documents(parts) @ encoder.embed_query(q["question"])
            counts["words"] += holds(hit.highlight, answers)
            counts["first"] += holds(parts[0], answers)
            counts["model"] += holds(parts[int(np.argmax(similarities))], answers)

    print(f"{len(questions)} questions; gold passage first with the answer in it, of several sentences: {judged}")
    for way, held in counts.items():
        print(f"  {way:<6} highlight holds the answer: {held}/{judged} = {held / max(judged, 1):.3f}")
    print(f"one-sentence passages (every way alike): {single_held}/{single}")


if __name__ == "__main__":
    main()
