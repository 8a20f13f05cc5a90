"""Whether dense (embedding) search is on, and the one-line note that says why.

The engine serves lexical (BM25) results alone rather than fail: when the model cannot be loaded, or when
its tokenizer breaks too many Bengali words for its vectors to be trusted (unless the operator forced
dense search on). The note is what `status` shows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from retrieval.corpus import loader as corpus
from retrieval.encoders.encoder import BENGALI_COVERAGE_NEEDED, Encoder, load_encoder
from retrieval.errors import ModelUnavailable
from retrieval.text.analyser import terms

log = logging.getLogger(__name__)
DenseMode = Literal["auto", "on", "off"]  # see EngineConfig.dense_mode
COVERAGE_SAMPLE_WORDS = 2000
SAMPLE_FILES = 50


def load_model(
    name: str | None, dense_mode: DenseMode, *, threads: int, device: str, hub_offline: bool
) -> tuple[Encoder | None, str | None]:
    """(the model, None) once loaded; (None, the note saying why dense search is off) when it cannot be;
    (None, None) when no model is configured or dense mode is off."""
    if dense_mode == "off" or not name:
        return None, None
    started = time.perf_counter()
    try:
        embedder = load_encoder(
            name,
            threads=threads,
            device=device,
            hub_offline=hub_offline,
        )
    except ModelUnavailable as exc:
        note = f"dense search is off: {exc}; serving lexical (BM25) results only"
        log.warning("%s", note)
        return None, note
    log.info("embedding model %s loaded in %.2f s", embedder.identity, time.perf_counter() - started)
    return embedder, None


def decide_dense(embedder: Encoder, dense_mode: DenseMode, sample_words: Callable[[], list[str]]) -> tuple[bool, str]:
    """(dense on?, the note): use the model only if it reads Bengali (or the operator forced it on)."""
    coverage = embedder.bengali_coverage(sample_words)
    if dense_mode == "on" or coverage >= BENGALI_COVERAGE_NEEDED:
        return True, f"dense search on with {embedder.identity} (Bengali word coverage {coverage:.0%})"
    note = (
        f"dense search off: {embedder.identity} keeps only {coverage:.0%} of Bengali words intact "
        f"(needs {BENGALI_COVERAGE_NEEDED:.0%}); serving lexical (BM25) results only"
    )
    log.warning("%s", note)
    return False, note


def sample_words(texts: Sequence[str] | None, data_dir: Path) -> list[str]:
    """Distinct Bengali words from passages of the serving index (or, before any index, the first corpus
    files: enough for the sample, however big the corpus)."""
    if texts is None:
        texts = _first_articles(data_dir, SAMPLE_FILES)
    seen: dict[str, None] = {}
    for text in texts:
        for word in terms(text):
            if any("\u0980" <= c <= "\u09ff" for c in word):
                seen.setdefault(word)
            if len(seen) >= COVERAGE_SAMPLE_WORDS:
                return list(seen)
    return list(seen)


def _first_articles(data_dir: Path, files: int) -> list[str]:
    """The article texts of the first `files` corpus files (in name order)."""
    texts: list[str] = []
    for name in sorted(corpus.corpus_files(data_dir))[:files]:
        try:
            records, _ = corpus.parse_records(name, (data_dir / name).read_bytes())
        except OSError:
            continue
        texts += [article.text for _, article in records]
    return texts
