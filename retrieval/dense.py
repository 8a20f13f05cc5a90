"""Chroma as the dense vector store: one collection per index generation, our own embeddings.

Collections are created with `embedding_function=None` so Chroma never downloads its default
model, and are named `passages_<instance>_<generation>` because Chroma cannot rename onto an existing
name; the instance id (one per state directory) keeps replicas that share a Chroma server apart.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

log = logging.getLogger(__name__)


class ChromaCollection:
    """A generation's vectors; answers nearest-neighbour queries as (passage_id, cosine similarity)."""

    def __init__(self, collection: chromadb.Collection) -> None:
        self._collection = collection

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        k = min(k, self._collection.count())
        if k <= 0:
            return []
        found = self._collection.query(query_embeddings=[vector.tolist()], n_results=k, include=["distances"])
        distances = found["distances"]
        assert distances is not None  # asked for with include=["distances"]
        return [(pid, 1.0 - float(dist)) for pid, dist in zip(found["ids"][0], distances[0], strict=True)]


class ChromaStore:
    """The embedded PersistentClient under the state directory, or a Chroma server (HttpClient)."""

    def __init__(self, state_dir: Path, instance: str, url: str | None = None) -> None:
        self._prefix = f"passages_{instance}_"
        settings = ChromaSettings(anonymized_telemetry=False)
        if url:
            parsed = urlparse(url)
            self._client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        else:
            self._client = chromadb.PersistentClient(path=str(state_dir / "chroma"), settings=settings)

    def create(self, generation: str, ids: list[str], vectors: np.ndarray) -> ChromaCollection:
        """Create a generation's collection and add every vector, in batches Chroma accepts."""
        collection = self._client.create_collection(
            self._prefix + generation, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )
        batch = self._client.get_max_batch_size()
        for start in range(0, len(ids), batch):
            collection.add(ids=ids[start : start + batch], embeddings=vectors[start : start + batch].tolist())
        return ChromaCollection(collection)

    def open(self, generation: str) -> ChromaCollection | None:
        """The collection of a generation, or None when it does not exist."""
        try:
            return ChromaCollection(self._client.get_collection(self._prefix + generation, embedding_function=None))
        except (ValueError, chromadb.errors.NotFoundError):
            return None

    def drop(self, generation: str) -> None:
        """Delete a generation's collection if it exists."""
        try:
            self._client.delete_collection(self._prefix + generation)
        except (ValueError, chromadb.errors.NotFoundError):
            pass

    def generations(self) -> list[str]:
        """Generations that have a collection here."""
        return [
            c.name[len(self._prefix) :] for c in self._client.list_collections() if c.name.startswith(self._prefix)
        ]
