"""Admin uploads: a file is checked completely before anything is written into the corpus, and a corpus
file is never overwritten unasked.

An upload whose name is taken is kept beside the existing file under a free name ("notes-2.md"), unless
its articles are the existing file's (their ids): then it is a new version of that file, and replacing
it is only planned here (how many articles it adds, updates and removes); the caller asks the admin
and writes it with `write_upload` and the plan's fingerprint of the file it replaces.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import regex

from retrieval.corpus import atomic_files
from retrieval.corpus.loader import SUPPORTED_SUFFIXES, LoadResult, added_name, load_corpus, parse_file
from retrieval.errors import CorpusError

_SAFE_NAME = regex.compile(r"[^\p{L}\p{M}\p{N}._-]+")
_GRAPHEME = regex.compile(r"\X")
# File systems allow 255 bytes a name; leave room for a "-NN" that keeps two files apart.
MAX_NAME_BYTES = 200
MAX_COPIES = 99


@dataclass(frozen=True)
class UploadPlan:
    """Where an upload would go and what saving it would change in the corpus.

    replaces: the name of an existing file this upload is a new version of (None: a new file).
    replaced_sha256: that file's content hash when planned, so a changed file is never overwritten.
    """

    requested: str  # the safe form of the name the admin sent
    name: str  # the corpus name it is saved under: "added/<file>", or an existing file's name it replaces
    articles: int  # articles in the upload
    replaces: str | None = None
    replaced_sha256: str | None = None
    added: int = 0  # on replacement: articles the old file did not have
    updated: int = 0  # on replacement: articles both have (their text may differ)
    removed: int = 0  # on replacement: articles of the old file missing from the upload, dropped from the index
    identical: bool = False  # the name holds exactly these bytes already: nothing to do

    @property
    def renamed(self) -> bool:
        """True when the upload is kept beside an existing file under another name."""
        return self.replaces is None and Path(self.name).name != self.requested


def plan_upload(data_dir: Path, filename: str, data: bytes) -> UploadPlan:
    """Validate an upload and decide its file name; raise CorpusError if it cannot be used.

    Refused: unsupported suffix, no article in it, any malformed record (an admin should fix the
    file rather than half-import it), or a doc id another corpus file already uses.
    """
    requested = safe_name(filename)
    # A new file goes into added/; one that takes the name of an existing file (an operator's in
    # data_dir, or an earlier upload in added/) may be a new version of it.
    name = requested if (data_dir / requested).exists() else added_name(requested)
    target = data_dir / name
    if not target.exists():
        return _plan_new(data_dir, requested, name, data)
    if target.read_bytes() == data:
        articles = len(parse_file(name, data).articles)
        return UploadPlan(requested, name, articles, replaces=name, identical=True)
    existing = {a.doc_id for a in load_corpus(data_dir).articles if a.origin == name}
    free = _free_name(data_dir, requested)
    new_ids = {a.doc_id for a in _parse(name, data).articles}
    # Ids the file states itself (a .md without an `id:` takes its id from the file name, so two
    # different notes.md files would look alike): sharing one makes the upload a new version.
    stated = new_ids & {a.doc_id for a in _parse(free, data).articles}
    if stated & existing:
        _refuse_clashes(data_dir, requested, name, new_ids)
        return UploadPlan(
            requested,
            name,
            len(new_ids),
            replaces=name,
            replaced_sha256=_sha256(target),
            added=len(new_ids - existing),
            updated=len(new_ids & existing),
            removed=len(existing - new_ids),
        )
    return _plan_new(data_dir, requested, free, data)


def write_upload(data_dir: Path, plan: UploadPlan, data: bytes) -> Path:
    """Write a planned upload atomically. A new file never replaces one that appeared meanwhile; a
    replacement happens only while the old file still has the content it was planned against.
    A temporary file is removed whatever happens."""
    target = data_dir / plan.name
    if plan.replaces is None:
        try:
            atomic_files.write_new(target, data, prefix=".upload-")  # fails rather than overwrite
        except FileExistsError:
            raise CorpusError(f"{plan.name} was not added: a file of that name appeared meanwhile") from None
    else:
        if not target.exists() or _sha256(target) != plan.replaced_sha256:
            raise CorpusError(f"{plan.name} was not replaced: it changed since the upload; send the file again")
        atomic_files.replace(target, data, prefix=".upload-")
    return target


def save_upload(data_dir: Path, filename: str, data: bytes) -> Path:
    """Validate an upload and save it as a new corpus file (under a free name when its own is taken).

    Never replaces a file: an upload that is a new version of an existing file raises CorpusError
    (see `plan_upload` and `write_upload` to replace one deliberately)."""
    plan = plan_upload(data_dir, filename, data)
    if plan.replaces is not None:
        raise CorpusError(f"{plan.requested} was not added: a corpus file of that name already holds its articles")
    return write_upload(data_dir, plan, data)


def safe_name(filename: str) -> str:
    """A file name safe in the corpus folder: letters, marks, digits, . _ -; at most MAX_NAME_BYTES
    of UTF-8, cut between whole characters (graphemes), its suffix kept."""
    base = Path(filename).name
    suffix = Path(base).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise CorpusError(
            f"{base or 'the file'} was not added: only {', '.join(SUPPORTED_SUFFIXES)} files are accepted"
        )
    stem = _SAFE_NAME.sub("_", Path(base).stem).strip("._") or "upload"
    return _cut_bytes(stem, MAX_NAME_BYTES - len(suffix.encode())) + suffix


def _cut_bytes(text: str, limit: int) -> str:
    """The longest start of text in at most `limit` UTF-8 bytes that ends between two graphemes."""
    if len(text.encode()) <= limit:
        return text
    kept, size = [], 0
    for grapheme in _GRAPHEME.findall(text):
        size += len(grapheme.encode())
        if size > limit:
            break
        kept.append(grapheme)
    return "".join(kept).rstrip("._") or "upload"


def _plan_new(data_dir: Path, requested: str, name: str, data: bytes) -> UploadPlan:
    parsed = _parse(name, data)  # a .md without an id takes its doc id from the name it is saved under
    ids = {a.doc_id for a in parsed.articles}
    _refuse_clashes(data_dir, requested, name, ids)
    return UploadPlan(requested, name, len(ids))


def _parse(name: str, data: bytes) -> LoadResult:
    parsed = parse_file(name, data)
    if parsed.skipped:
        reasons = "; ".join(f"{s.name}: {s.reason}" for s in parsed.skipped[:5])
        raise CorpusError(f"{name} was not added: {reasons}")
    if not parsed.articles:
        raise CorpusError(f"{name} was not added: it holds no article")
    return parsed


def _refuse_clashes(data_dir: Path, requested: str, name: str, ids: set[str]) -> None:
    """Raise when a corpus file other than `name` already defines one of the ids."""
    if not data_dir.is_dir():
        return
    others = {a.doc_id for a in load_corpus(data_dir).articles if a.origin != name}
    clashes = sorted(ids & others)
    if clashes:
        raise CorpusError(
            f"{requested} was not added: another corpus file already has the id(s) {', '.join(clashes[:5])}"
        )


def _free_name(data_dir: Path, name: str) -> str:
    """added/name-2, added/name-3… : the first that no corpus file has (in data_dir or in added/)."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(2, MAX_COPIES + 1):
        candidate = f"{stem}-{n}{suffix}"
        if not (data_dir / candidate).exists() and not (data_dir / added_name(candidate)).exists():
            return added_name(candidate)
    raise CorpusError(f"{name} was not added: {MAX_COPIES} files of that name exist already; rename it")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
