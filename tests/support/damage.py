"""Ways to damage a state file, shared by the damage tests and tests/suites/fault_injection.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def truncate(path: Path) -> None:
    path.write_bytes(b"")


def halve(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garble(path: Path) -> None:
    """Flip one bit in a few places past the header: same size, only a checksum (or SQLite's page
    checks) can tell."""
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 3, len(data), max(len(data) // 5, 1)):
        data[i] ^= 0x01
    path.write_bytes(bytes(data))


def delete(path: Path) -> None:
    path.unlink()


DAMAGES: dict[str, Callable[[Path], None]] = {"truncate": truncate, "halve": halve, "garble": garble, "delete": delete}

# The files a generation's lexical index is written to (bm25s's arrays and vocabulary, our document
# frequencies), relative to the generation's folder: each is a target for the damages above.
LEXICAL_FILES = (
    "bm25/data.csc.index.npy",
    "bm25/indices.csc.index.npy",
    "bm25/indptr.csc.index.npy",
    "bm25/params.index.json",
    "bm25/vocab.index.json",
    "doc_freq.json",
)
