"""Writing a file so that a reader, or a crash, sees the old content or the new, never half of it: the
bytes go to a hidden temporary file beside the target, are flushed to disk, and are then linked or
renamed into place. The temporary file is removed whatever happens, even when writing it fails."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


def write_new(target: Path, data: bytes, prefix: str) -> None:
    """Create target with data; raises FileExistsError, changing nothing, when it exists already
    (os.link never replaces)."""
    with _written_beside(target, data, prefix) as temp:
        os.link(temp, target)


def replace(target: Path, data: bytes, prefix: str) -> None:
    """Put data in target, replacing what it held (os.replace is atomic on one file system)."""
    with _written_beside(target, data, prefix) as temp:
        os.replace(temp, target)


@contextlib.contextmanager
def _written_beside(target: Path, data: bytes, prefix: str) -> Iterator[Path]:
    """A hidden temporary file in target's folder holding data, flushed to disk; removed on exit."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        yield temp
    finally:
        with contextlib.suppress(FileNotFoundError):  # os.replace has moved it
            temp.unlink()
