"""One process owns a state directory: Chroma's local engine is not process-safe."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from retrieval.errors import StateLocked


class StateLock:
    """An exclusive, non-blocking flock on <state_dir>/lock, released on close or process exit."""

    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / "lock"
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(self._fd)
            raise StateLocked(
                f"the state directory {state_dir} is in use by another Sondhani process (pid {holder})"
            ) from None  # callers add what to do: the CLI and the bot know their own commands
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, str(os.getpid()).encode(), 0)

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1
