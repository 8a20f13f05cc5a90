"""What Chroma's local engine holds, read from its chroma.sqlite3 without importing chromadb.

An open of the index must know whether the serving collection exists and holds every vector, and a
housekeeping pass which collections exist; asking chromadb costs its import (0.6 s) and, for a count,
loading the collection's HNSW index (0.5 s at 50k vectors), which a no-op `index` otherwise never
needs. These read the tables Chroma 1.x keeps (`collections`, `segments`, and the `embeddings` rows of
a collection's metadata segment, one per vector); a file without that layout answers None, and the
caller asks chromadb instead. Read-only: nothing here writes Chroma's files.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def collection_names(database: Path) -> list[str] | None:
    """The names of the collections, [] without a database file, None when it cannot be read so."""
    if not database.exists():
        return []
    try:
        return [str(name) for (name,) in _read(database, "SELECT name FROM collections")]
    except sqlite3.Error:
        return None


def vector_count(database: Path, collection: str) -> int | None:
    """How many vectors a collection holds: -1 when it does not exist, None when the file cannot tell."""
    if not database.exists():
        return -1
    try:
        found = _read(
            database,
            "SELECT (SELECT COUNT(*) FROM embeddings e WHERE e.segment_id = s.id) FROM collections c "
            "JOIN segments s ON s.collection = c.id WHERE c.name = ? AND s.scope = 'METADATA'",
            (collection,),
        )
    except sqlite3.Error:
        return None
    return int(found[0][0]) if found else -1


def live_segments(database: Path) -> set[str]:
    """The ids of every segment a collection references (raises sqlite3.Error when unreadable)."""
    return {str(segment) for (segment,) in _read(database, "SELECT id FROM segments")}


def _read(database: Path, query: str, parameters: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [tuple(row) for row in db.execute(query, parameters).fetchall()]
    finally:
        db.close()
