"""Engine configuration as plain values: the library never reads the environment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

DenseMode = Literal["auto", "on", "off"]


@dataclass(frozen=True)
class EngineConfig:
    """Where the corpus and state live and which model embeds passages.

    dense_mode: "auto" uses dense search only when the model loads *and* covers Bengali;
    "on" uses it whenever the model loads (tests force this with an English model);
    "off" never loads a model.
    """

    data_dir: Path
    state_dir: Path
    embedding_model: str | None = "intfloat/multilingual-e5-small"
    dense_mode: DenseMode = "auto"
    chroma_url: str | None = None
    torch_threads: int = 2
