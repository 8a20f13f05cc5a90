"""Admin uploads: a file is checked completely before anything is written into the corpus."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import regex

from retrieval.corpus import SUPPORTED_SUFFIXES, load_corpus, parse_file
from retrieval.errors import CorpusError

_SAFE_NAME = regex.compile(r"[^\p{L}\p{M}\p{N}._-]+")


def save_upload(data_dir: Path, filename: str, data: bytes) -> Path:
    """Validate an uploaded file and write it into data_dir atomically; raise CorpusError if unusable.

    Refused: unsupported suffix, no article in it, any malformed record (an admin should fix the
    file rather than half-import it), or a doc id another corpus file already uses.
    """
    name = _safe_name(filename)
    parsed = parse_file(name, data)
    if parsed.skipped:
        reasons = "; ".join(f"{s.name}: {s.reason}" for s in parsed.skipped[:5])
        raise CorpusError(f"{name} was not added: {reasons}")
    if not parsed.articles:
        raise CorpusError(f"{name} was not added: it holds no article")
    target = data_dir / name
    clashes = _id_clashes(data_dir, target, {a.doc_id for a in parsed.articles})
    if clashes:
        raise CorpusError(f"{name} was not added: another corpus file already has the id(s) {', '.join(clashes[:5])}")
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".upload-", delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, target)
    return target


def _safe_name(filename: str) -> str:
    base = Path(filename).name
    suffix = Path(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(
            f"{base or 'the file'} was not added: only {', '.join(SUPPORTED_SUFFIXES)} files are accepted"
        )
    stem = _SAFE_NAME.sub("_", Path(base).stem).strip("._") or "upload"
    return stem[:100] + suffix


def _id_clashes(data_dir: Path, target: Path, ids: set[str]) -> list[str]:
    """Ids of the upload that a *different* corpus file already defines (replacing a file is fine)."""
    if not data_dir.is_dir():
        return []
    others = [a for a in load_corpus(data_dir).articles if a.origin != target.name]
    return sorted(ids & {a.doc_id for a in others})
