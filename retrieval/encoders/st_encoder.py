"""A sentence-transformers model (hub id or local directory): loading it without stalling, its
prompts, and whether it reads Bengali. Only this module imports torch, and only when such a model
is configured.

Model-specific prompts live here and only here (multilingual-e5 wants "query: " / "passage: ").
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from retrieval.errors import ModelUnavailable
from retrieval.text.analyser import normalize

E5_PROMPTS = {"query": "query: ", "document": "passage: "}
HUB_PROBE_SECONDS = 3.0


def is_e5(name_or_path: str) -> bool:
    """Whether the model is an e5 one, judged by its own name (a hub id's or a directory's last part, "e5"
    as a word of it): a MiniLM installed under /tmp/clone5/ is not an e5 model."""
    last = name_or_path.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1].lower()
    return re.search(r"(?:^|[-_.])e5(?:[-_.]|$)", last) is not None


class SentenceTransformerEncoder:
    """A loaded model with query/document encoders that apply the model's own prompts."""

    def __init__(self, name: str, model: Any) -> None:
        self.name = name
        self._model = model
        if not model.prompts.get("query") and is_e5(name):
            model.prompts.update(E5_PROMPTS)
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self._dimension = int(dimension() or 0)

    @classmethod
    def load(cls, name_or_path: str, *, threads: int, device: str, hub_offline: bool) -> "SentenceTransformerEncoder":
        """Load from a local path, the hub cache or the hub; fail at once (ModelUnavailable) when it can't be had."""
        try:
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelUnavailable(
                f"embedding model {name_or_path!r} needs sentence-transformers and torch, which are not installed"
            ) from exc
        torch.set_num_threads(max(1, threads))
        # No weight-loading bars in logs (transformers leaves this function unannotated, hence the ignore).
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        local = Path(name_or_path).expanduser()
        try:
            if local.exists():
                model = SentenceTransformer(str(local), device=device, local_files_only=True)
            elif _in_hub_cache(name_or_path):
                model = SentenceTransformer(name_or_path, device=device, local_files_only=True)
            else:
                _require_hub(name_or_path, hub_offline)
                model = SentenceTransformer(name_or_path, device=device)
        except ModelUnavailable:
            raise
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelUnavailable(f"could not load embedding model {name_or_path!r}: {exc}") from exc
        return cls(name_or_path, model)

    @property
    def identity(self) -> str:
        return self.name

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors for passages, as one batch: the indexer sizes the batches."""
        vectors = self._model.encode_document(
            texts,
            batch_size=max(1, len(texts)),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self._dimension)

    def embed_query(self, text: str) -> np.ndarray:
        """A unit-length float32 vector for one question."""
        vector = self._model.encode_query(
            [text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vector[0], dtype=np.float32)

    def bengali_coverage(self, sample_words: Callable[[], list[str]]) -> float:
        """Share of Bengali words the tokenizer keeps intact (no [UNK], no vowel signs stripped).

        An English WordPiece model lowercases and strips accents, which deletes Bengali vowel
        signs: its round trip fails for nearly every word, and its vectors cannot be trusted.
        """
        tokenizer = self._model.tokenizer
        words = sample_words()
        if not words:
            return 0.0
        kept = 0
        for word in words:
            pieces = tokenizer.tokenize(word)
            rebuilt = tokenizer.convert_tokens_to_string(pieces).replace(" ", "")
            if tokenizer.unk_token not in pieces and normalize(rebuilt) == normalize(word):
                kept += 1
        return kept / len(words)


def _in_hub_cache(repo_id: str) -> bool:
    from huggingface_hub import try_to_load_from_cache

    try:
        return isinstance(try_to_load_from_cache(repo_id, "config.json"), str)
    except ValueError:  # not a valid repo id
        return False


def _require_hub(repo_id: str, hub_offline: bool) -> None:
    """Refuse quickly when the hub cannot be reached, instead of ~70 s of download retries."""
    from huggingface_hub import constants

    if hub_offline:
        raise ModelUnavailable(f"embedding model {repo_id!r} is not a local path, not in the cache, and the hub is off")
    endpoint = urlparse(constants.ENDPOINT)
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((endpoint.hostname or "", port), timeout=HUB_PROBE_SECONDS):
            pass
    except OSError as exc:
        raise ModelUnavailable(
            f"embedding model {repo_id!r} is not a local path or cached, and the model hub is unreachable ({exc})"
        ) from exc
