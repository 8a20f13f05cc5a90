"""Load the news corpus: `.md`/`.txt` articles (optional front matter) and `.jsonl` records.

Bad content never raises: a file or record that cannot be used becomes a `Skipped` entry that
names it ("file.md", "file.jsonl:7") and says why in plain English, and everything else loads.
Each body is cleaned of page furniture and repeats by `furniture.clean` (rules in `clean_text`), so
an article with nothing left to search is skipped like any other unusable record.

Text, title and source are stored in `tidy()` form, as readers see them: the writer's own Bengali
digits, curly quotes and dashes stay.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import regex

from retrieval.errors import CorpusError
from retrieval.records import Article, Skipped
from retrieval.text.analyser import match_form, tidy
from retrieval.text.furniture import clean

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".md", ".txt", ".jsonl")
# The one subfolder of the corpus folder that is read: where articles added from links, feeds and uploads
# are saved, apart from the operator's (or the bundled) files. Its files are named "added/<file>".
ADDED_FOLDER = "added"
# ".md, .txt or .jsonl": the refusal names the suffixes from SUPPORTED_SUFFIXES, so the rule has one source
_SUFFIX_CHOICES = ", ".join(SUPPORTED_SUFFIXES[:-1]) + " or " + SUPPORTED_SUFFIXES[-1]


@dataclass
class LoadResult:
    """Articles that loaded and the files/records that did not, with reasons."""

    articles: list[Article]
    skipped: list[Skipped]


# --- loading ---------------------------------------------------------------------------------------


def load_corpus(data_dir: Path) -> LoadResult:
    """Load every supported file in data_dir and its added/ folder, in name order; skip bad ones with a reason.

    Hidden files, other subdirectories and other suffixes are ignored silently (editor backups, notes).
    A doc id seen in an earlier file wins; later copies are skipped, so results stay stable.
    Raises CorpusError only when data_dir itself is missing: indexing "nothing" would wipe the index.
    """
    if not data_dir.is_dir():
        raise CorpusError(f"corpus directory {data_dir} does not exist or is not a directory")
    articles: list[Article] = []
    skipped: list[Skipped] = []
    first_seen: dict[str, str] = {}
    for name, path in _corpus_paths(data_dir):
        try:
            data = path.read_bytes()
        except OSError as exc:
            skipped.append(_skip(name, f"cannot read the file ({exc.strerror or exc})"))
            continue
        records, file_skipped = _parse(name, data)
        for record_name, article in records:
            if article.doc_id in first_seen:
                file_skipped.append(_duplicate(record_name, article.doc_id, first_seen[article.doc_id]))
                continue
            first_seen[article.doc_id] = record_name
            articles.append(article)
        skipped.extend(sorted(file_skipped, key=_line_number))
    logger.info("loaded %d articles from %s (%d skipped)", len(articles), data_dir, len(skipped))
    return LoadResult(articles=articles, skipped=skipped)


def corpus_files(data_dir: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime in ns) of every file load_corpus would read, by name: what an update compares with
    the catalog's record, without reading any file. Raises CorpusError when data_dir is missing."""
    if not data_dir.is_dir():
        raise CorpusError(f"corpus directory {data_dir} does not exist or is not a directory")
    found: dict[str, tuple[int, int]] = {}
    for folder, prefix in _folders(data_dir):
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue  # no added/ folder yet: nothing was added
        for entry in entries:
            if entry.name.startswith(".") or Path(entry.name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            try:
                if not entry.is_file():
                    continue
                stat = entry.stat()
            except OSError:
                continue  # vanished meanwhile, or unreadable metadata: the next update sees it
            found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
    return found


def added_name(file_name: str) -> str:
    """The corpus name of a file the product saves (from a link, a feed or an upload): in added/."""
    return f"{ADDED_FOLDER}/{file_name}"


def _folders(data_dir: Path) -> tuple[tuple[Path, str], ...]:
    """The folders the corpus is read from, in order, with the prefix of their files' corpus names."""
    return (data_dir, ""), (data_dir / ADDED_FOLDER, f"{ADDED_FOLDER}/")


def _corpus_paths(data_dir: Path) -> list[tuple[str, Path]]:
    """(corpus name, path) of every file load_corpus reads: data_dir's own files, then added/'s."""
    return [
        (prefix + path.name, path)
        for folder, prefix in _folders(data_dir)
        if folder.is_dir()
        for path in sorted(folder.iterdir(), key=lambda p: p.name)
        if _is_corpus_file(path)
    ]


def parse_records(name: str, data: bytes) -> tuple[list[tuple[str, Article]], list[Skipped]]:
    """Parse one file's bytes as load_corpus would: (record name, article) pairs, where a record name is
    "file.md" or "file.jsonl:7", and what was skipped, in line order."""
    records, skipped = _parse(name, data)
    return records, sorted(skipped, key=_line_number)


def parse_file(name: str, data: bytes) -> LoadResult:
    """Parse one file's bytes as load_corpus would, e.g. to validate an upload before saving it."""
    records, skipped = _parse(name, data)
    return LoadResult(articles=[article for _, article in records], skipped=skipped)


def _line_number(skipped: Skipped) -> int:
    """Order a file's skips by line ("feed.jsonl:12"); a whole-file skip has no line."""
    _, _, line = skipped.name.rpartition(":")
    return int(line) if line.isdigit() else 0


def _is_corpus_file(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file()


def _parse(name: str, data: bytes) -> tuple[list[tuple[str, Article]], list[Skipped]]:
    """(record name, article) pairs plus skips; record names let duplicates point at a line."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return [], [_skip(name, f"unsupported file type {suffix or '(none)'!r}; use {_SUFFIX_CHOICES}")]
    try:
        text = _decode(data)
    except CorpusError as exc:
        return [], [_skip(name, str(exc))]
    if suffix == ".jsonl":
        return _parse_jsonl(name, text)
    try:
        return [(name, _parse_document(name, text))], []
    except CorpusError as exc:
        return [], [_skip(name, str(exc))]


def _decode(data: bytes) -> str:
    """Strict UTF-8 (a BOM is tolerated); empty or whitespace-only files are unusable."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"not valid UTF-8 text (bad byte at position {exc.start}); save the file as UTF-8") from None
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise CorpusError("the file is empty")
    return text


def _skip(name: str, reason: str) -> Skipped:
    # Debug only: callers report LoadResult.skipped to the admin (the engine logs them as warnings).
    logger.debug("skipped %s: %s", name, reason)
    return Skipped(name=name, reason=reason)


def _duplicate(name: str, doc_id: str, first: str) -> Skipped:
    return _skip(name, f"duplicate doc id {doc_id!r}: already loaded from {first}")


# --- .md / .txt ------------------------------------------------------------------------------------

_FRONT_MATTER_FENCE = "---"
_FRONT_MATTER_LINE = regex.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:(.*)$")
_ISO_DATE = regex.compile(r"^\d{4}-\d{2}-\d{2}$")
_META_KEYS = ("title", "source", "url", "published", "id")


def _parse_document(name: str, text: str) -> Article:
    """One article per file: optional front matter, then the raw body."""
    meta, body = _split_front_matter(text)
    doc_id = meta.get("id") or Path(name).stem
    return _make_article(doc_id.strip(), body, meta, origin=name)


def _split_front_matter(text: str) -> tuple[dict[str, str | None], str]:
    """Front matter is only recognised when the very first line is `---`."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FRONT_MATTER_FENCE:
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == _FRONT_MATTER_FENCE:
            return _parse_front_matter(lines[1:end]), "".join(lines[end + 1 :])
    raise CorpusError("front matter starts with '---' but has no closing '---' line")


def _parse_front_matter(lines: list[str]) -> dict[str, str | None]:
    """Strict `key: value` lines; unknown keys are read (to catch typos in syntax) but ignored."""
    meta: dict[str, str | None] = {}
    for number, line in enumerate(lines, start=2):
        if not line.strip():
            continue
        match = _FRONT_MATTER_LINE.match(line.strip())
        if not match:
            raise CorpusError(f"front matter line {number} is not 'key: value': {line.strip()[:60]!r}")
        key, value = match.group(1).lower(), _front_matter_value(match.group(2).strip(), number)
        if key in meta:
            raise CorpusError(f"front matter key {key!r} appears twice")
        meta[key] = value
    return {key: meta[key] for key in _META_KEYS if key in meta}


def _front_matter_value(value: str, number: int) -> str | None:
    """Quoted values are taken literally; bare null, ~ or nothing mean "not stated"."""
    if value[:1] in ("'", '"'):
        if len(value) < 2 or value[-1] != value[0]:
            raise CorpusError(f"front matter line {number} has an unterminated quoted value")
        return value[1:-1]
    if value in ("", "null", "~"):
        return None
    return value


# --- .jsonl ----------------------------------------------------------------------------------------


def _parse_jsonl(name: str, text: str) -> tuple[list[tuple[str, Article]], list[Skipped]]:
    """One article per non-blank line; a bad line is skipped as `name:LINE`, the rest load."""
    records: list[tuple[str, Article]] = []
    skipped: list[Skipped] = []
    first_seen: dict[str, str] = {}
    # split("\n"), not splitlines(): JSON strings may hold a raw U+2028, which is not a record break.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        record_name = f"{name}:{number}"
        try:
            article = _parse_record(line, origin=name)
        except CorpusError as exc:
            skipped.append(_skip(record_name, str(exc)))
            continue
        if article.doc_id in first_seen:
            skipped.append(_duplicate(record_name, article.doc_id, first_seen[article.doc_id]))
            continue
        first_seen[article.doc_id] = record_name
        records.append((record_name, article))
    return records, skipped


def _parse_record(line: str, origin: str) -> Article:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CorpusError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise CorpusError(f"not a JSON object (got {_json_type(record)})")
    for key in ("id", "text"):
        if key not in record:
            raise CorpusError(f"missing required field {key!r}")
        if not isinstance(record[key], str):
            raise CorpusError(f"field {key!r} must be a string (got {_json_type(record[key])})")
    if not record["id"].strip():
        raise CorpusError("field 'id' is empty")
    meta: dict[str, str | None] = {}
    for key in ("title", "source", "url", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise CorpusError(f"field {key!r} must be a string or null (got {_json_type(value)})")
        meta[key] = value
    return _make_article(record["id"].strip(), record["text"], meta, origin=origin)


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


# --- shared ----------------------------------------------------------------------------------------


def _make_article(doc_id: str, raw: str, meta: dict[str, str | None], origin: str) -> Article:
    """Validate metadata, clean the body, and refuse articles with nothing left to search."""
    if not doc_id:
        raise CorpusError("the doc id is empty")
    if not raw.strip():
        raise CorpusError("the article text is empty")
    published = _validate_date(meta.get("published"))
    title = _clean_meta(meta.get("title"))
    cleaned = clean(raw, match_form(title) if title else None)
    if not cleaned.text:
        raise CorpusError("no article text left after removing page furniture")
    return Article(
        doc_id=doc_id,
        text=cleaned.text,
        title=title,
        source=_clean_meta(meta.get("source")),
        url=(meta.get("url") or "").strip() or None,
        published=published or cleaned.published,
        origin=origin,
    )


def _clean_meta(value: str | None) -> str | None:
    """Title and source are stored like the text, in tidy() form; None when blank."""
    if value is None:
        return None
    return tidy(value) or None


def _validate_date(value: str | None) -> str | None:
    """`published` must be a real calendar date written YYYY-MM-DD."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise CorpusError(f"'published' must be a date written YYYY-MM-DD (got {value!r})") from None
