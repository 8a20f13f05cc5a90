"""Atomic writes into the corpus and the state directory: never over an existing file unasked, and no
temporary file left behind, even when the write itself fails."""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from retrieval.corpus.atomic_files import replace, write_new


def hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """Writes past `size` bytes fail with EFBIG, as on a full disk (the signal is ignored meanwhile)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_write_new_never_replaces_and_replace_does(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    write_new(target, "প্রথম".encode(), prefix=".t-")
    with pytest.raises(FileExistsError):
        write_new(target, b"second", prefix=".t-")
    assert target.read_text("utf-8") == "প্রথম" and hidden(tmp_path) == []
    replace(target, b"third", prefix=".t-")
    assert target.read_bytes() == b"third" and hidden(tmp_path) == []


@pytest.mark.parametrize("write", [write_new, replace])
def test_a_write_that_fails_changes_nothing_and_leaves_no_temporary_file(
    tmp_path: Path, write: Callable[..., None]
) -> None:
    existing = tmp_path / "kept.md"
    existing.write_bytes(b"old")
    target = existing if write is replace else tmp_path / "new.md"
    with file_size_limit(16), pytest.raises(OSError):
        write(target, b"x" * 4096, prefix=".t-")
    assert hidden(tmp_path) == [] and existing.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.md"]
