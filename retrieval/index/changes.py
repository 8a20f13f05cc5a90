"""What changed in the corpus since the serving index: found from file sizes, mtimes and hashes.

Only files whose size or mtime differ from what the catalog recorded are read; of those, only files
whose content hash differs are parsed. A doc id belongs to the first file (in name order) that holds
it, as when the whole corpus is loaded: so when a changed file holds an id another file serves, or
served an id another file holds a skipped copy of, that other file is read too (and so on, until no
ownership can move). The result is a `Changes`: articles to add and article rows to retire.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from retrieval.corpus.loader import corpus_files, parse_records
from retrieval.index.catalog import Catalog
from retrieval.index.change_set import Changes, FileState
from retrieval.records import Article, Skipped

log = logging.getLogger(__name__)


@dataclass
class FileRead:
    """One corpus file read this update: its new state and what it holds."""

    state: FileState
    records: list[tuple[str, Article]]  # (record name: "file.md" or "file.jsonl:7", article)

    @property
    def articles(self) -> list[Article]:
        return [article for _, article in self.records]


def article_hash(article: Article) -> str:
    """Changes when anything a passage or its citation shows changes."""
    fields = [article.text, article.title, article.source, article.url, article.published]
    return hashlib.sha256("\x1f".join(f or "" for f in fields).encode()).hexdigest()


def find_changes(
    data_dir: Path,
    catalog: Catalog,
    seq: int,
    everything: bool = False,
    rewrite: frozenset[str] = frozenset(),
    from_nothing: bool = False,
) -> Changes:
    """The changes that bring the index at `seq` in line with data_dir. With `everything` (a full
    rebuild) every file is read and every article added; the caller retires every row. Files in `rewrite`
    are read and their articles written again even when unchanged (a damaged row was found in them).
    With `from_nothing` (what serves cannot be trusted) every article counts as added.

    Raises CorpusError when data_dir is missing (indexing "nothing" would wipe the index)."""
    present = corpus_files(data_dir)
    recorded = {} if everything else catalog.file_states()
    gone = sorted(set(recorded) - set(present))
    reads: dict[str, FileRead] = {}
    touched: list[FileState] = []
    for name, (size, mtime_ns) in sorted(present.items()):
        known = recorded.get(name)
        if known is not None and (known.size, known.mtime_ns) == (size, mtime_ns) and name not in rewrite:
            continue
        read = _read(data_dir, name, size, mtime_ns)
        if known is not None and known.sha256 == read.state.sha256 and name not in rewrite:
            touched.append(FileState(name, size, mtime_ns, known.sha256, known.skipped))  # same bytes: no parse
            continue
        reads[name] = read
    affected = set(reads) | set(gone)
    if not affected and not everything:
        return Changes(files=touched)
    _close_over_ownership(data_dir, catalog, seq, reads, affected, recorded, present)
    return _compare(catalog, seq, reads, affected, gone, touched, everything, rewrite, from_nothing)


def _read(data_dir: Path, name: str, size: int, mtime_ns: int) -> FileRead:
    """Read and parse one file by its corpus name ("x.md", "added/x.md"); unreadable: skipped with the
    reason, as the loader does."""
    try:
        data = (data_dir / name).read_bytes()
    except OSError as exc:
        unreadable = (Skipped(name, f"cannot read the file ({exc.strerror or exc})"),)
        return FileRead(FileState(name, size, mtime_ns, "", unreadable), [])
    records, skipped = parse_records(name, data)
    state = FileState(name, size, mtime_ns, hashlib.sha256(data).hexdigest(), tuple(skipped))
    return FileRead(state, records)


def _close_over_ownership(
    data_dir: Path,
    catalog: Catalog,
    seq: int,
    reads: dict[str, FileRead],
    affected: set[str],
    recorded: dict[str, FileState],
    present: dict[str, tuple[int, int]],
) -> None:
    """Read, besides the changed files, every file whose articles' ownership the change may move."""
    while True:
        new_ids = {a.doc_id for read in reads.values() for a in read.articles}
        old_ids = catalog.doc_ids_of_files(seq, affected)
        extra = {f for f in catalog.owners(seq, new_ids).values() if f not in affected}
        extra |= {f for f in catalog.shadowing(old_ids | new_ids) if f not in affected}
        extra &= set(present)
        if not extra:
            return
        for name in sorted(extra):
            size, mtime_ns = present[name]
            reads[name] = _read(data_dir, name, size, mtime_ns)
            affected.add(name)


def _compare(
    catalog: Catalog,
    seq: int,
    reads: dict[str, FileRead],
    affected: set[str],
    gone: list[str],
    touched: list[FileState],
    everything: bool,
    rewrite: frozenset[str],
    from_nothing: bool,
) -> Changes:
    """Resolve doc-id ownership among the files read (first file in name order wins) and diff the result
    against the article rows those files served."""
    changes = Changes(gone=gone, reread=sorted(affected))
    owned: dict[str, tuple[Article, str, str]] = {}  # doc id -> (article, file, record name)
    for name in sorted(reads):
        read = reads[name]
        skipped: list[Skipped] = list(read.state.skipped)
        for record, article in read.records:
            if article.doc_id in owned:
                first = owned[article.doc_id][2]
                skipped.append(Skipped(record, f"duplicate doc id {article.doc_id!r}: already loaded from {first}"))
                changes.shadowed.append((article.doc_id, name))
                continue
            owned[article.doc_id] = (article, name, record)
        state = read.state
        changes.files.append(FileState(state.name, state.size, state.mtime_ns, state.sha256, tuple(skipped)))
    changes.files += touched
    served = {} if from_nothing else {a.doc_id: a for a in catalog.articles_of_files(seq, affected)}
    for doc_id, (article, name, _) in owned.items():
        digest = article_hash(article)
        old = served.get(doc_id)
        if old is not None and old.article_hash == digest and old.file == name and not everything:
            if name not in rewrite:
                continue
            changes.updated += 1  # the same article, its damaged rows written again
            changes.add.append((article, digest, name))
            changes.retire.append(old)
            continue
        changes.add.append((article, digest, name))
        if old is None:
            changes.added += 1
        elif old.article_hash != digest:
            changes.updated += 1
            changes.retire.append(old)
        else:
            changes.retire.append(old)  # the same article, rewritten (a full rebuild, or moved to another file)
    for doc_id, old in served.items():
        if doc_id not in owned:
            changes.retire.append(old)
            changes.removed += 1
    return changes
