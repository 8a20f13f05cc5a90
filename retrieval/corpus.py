"""Load the news corpus: `.md`/`.txt` articles (optional front matter) and `.jsonl` records.

Bad content never raises: a file or record that cannot be used becomes a `Skipped` entry that
names it ("file.md", "file.jsonl:7") and says why in plain English, and everything else loads.
Admins add articles scraped from arbitrary sites, so `clean_text` removes page furniture with
generic rules (see its docstring), never with phrases specific to one article.

Text, title and source are stored in `tidy()` form, as readers see them: the writer's own Bengali
digits, curly quotes and dashes stay. Every cleaning decision compares the `normalize()` form.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import regex

from retrieval.errors import CorpusError
from retrieval.models import Article, Skipped
from retrieval.text import fold, match_form, normalize, split_sentences, tidy, words

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".md", ".txt", ".jsonl")


@dataclass
class LoadResult:
    """Articles that loaded and the files/records that did not, with reasons."""

    articles: list[Article]
    skipped: list[Skipped]


# --- loading ---------------------------------------------------------------------------------------


def load_corpus(data_dir: Path) -> LoadResult:
    """Load every supported file directly in data_dir, in name order; skip bad ones with a reason.

    Hidden files, subdirectories and other suffixes are ignored silently (editor backups, notes).
    A doc id seen in an earlier file wins; later copies are skipped, so results stay stable.
    Raises CorpusError only when data_dir itself is missing: indexing "nothing" would wipe the index.
    """
    if not data_dir.is_dir():
        raise CorpusError(f"corpus directory {data_dir} does not exist or is not a directory")
    articles: list[Article] = []
    skipped: list[Skipped] = []
    first_seen: dict[str, str] = {}
    for path in sorted(data_dir.iterdir(), key=lambda p: p.name):
        if not _is_corpus_file(path):
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            skipped.append(_skip(path.name, f"cannot read the file ({exc.strerror or exc})"))
            continue
        records, file_skipped = _parse(path.name, data)
        for record_name, article in records:
            if article.doc_id in first_seen:
                file_skipped.append(_duplicate(record_name, article.doc_id, first_seen[article.doc_id]))
                continue
            first_seen[article.doc_id] = record_name
            articles.append(article)
        skipped.extend(sorted(file_skipped, key=_line_number))
    logger.info("loaded %d articles from %s (%d skipped)", len(articles), data_dir, len(skipped))
    return LoadResult(articles=articles, skipped=skipped)


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
        return [], [_skip(name, f"unsupported file type {suffix or '(none)'!r}; use .md, .txt or .jsonl")]
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
        raise CorpusError(
            f"not valid UTF-8 text (bad byte at position {exc.start}); save the file as UTF-8"
        ) from None
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
    cleaned = _clean(raw, match_form(title) if title else None)
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


# --- cleaning --------------------------------------------------------------------------------------


def _n(text: str) -> str:
    """Canonical, case-folded form used for every phrase comparison below."""
    return normalize(text).casefold()


def _phrases(raw: str) -> frozenset[str]:
    """A phrase list written one per line, stored in the same form as `_label` produces."""
    return frozenset(_n(line) for line in raw.strip().splitlines() if line.strip())


def _nre(pattern: str) -> regex.Pattern[str]:
    """Compile a pattern written in plain Bengali so it matches normalised text, any case."""
    return regex.compile(normalize(pattern), regex.IGNORECASE)


# Headings of "related / most read / latest" blocks that sites put after the article body.
_SIDEBAR_HEADINGS = _phrases("""
সবচেয়ে জনপ্রিয়
সবচেয়ে বেশি পঠিত
সবচেয়ে পঠিত
সর্বাধিক পঠিত
সর্বাধিক জনপ্রিয়
সর্বাধিক পঠিত খবর
জনপ্রিয় খবর
পাঠকপ্রিয়
সম্পর্কিত প্রবন্ধ
সম্পরকিত প্রবন্ধ
সম্পর্কিত খবর
সম্পর্কিত সংবাদ
সম্পর্কিত পোস্ট
এ সম্পর্কিত আরও খবর
এ সম্পর্কিত আরো খবর
আরও খবর
আরো খবর
আরও সংবাদ
এই বিভাগের আরও খবর
এই বিভাগের আরো খবর
এ বিভাগের আরও খবর
এ বিভাগের আরো খবর
এই বিভাগের আরও
সর্বশেষ
সর্বশেষ খবর
সর্বশেষ সংবাদ
সাম্প্রতিক
সাম্প্রতিক খবর
সাম্প্রতিক পোস্ট
সাম্প্রতিক মন্তব্য
Related
Related news
Related posts
Related articles
Related stories
More news
More stories
Most read
Most popular
Popular
Popular posts
Latest
Latest news
Latest posts
Recent posts
Recent comments
Trending
You may also like
""")

# Invitations to comment (and "comments are closed" notices) are never article text.
_COMMENT_PROMPTS = _phrases("""
আপনার মতামত লিখুন
আপনার মতামত দিন
মতামত লিখুন
আপনার মন্তব্য লিখুন
মন্তব্য লিখুন
মন্তব্য করুন
মন্তব্য
মন্তব্যসমূহ
ইহাতে মন্তব্য প্রদান বন্ধ রয়েছে
এতে মন্তব্য প্রদান বন্ধ রয়েছে
মন্তব্য প্রদান বন্ধ রয়েছে
Leave a comment
Leave a reply
Post a comment
Add a comment
Comments
Comments are closed
""")

_OTHER_FURNITURE = _phrases("""
Source link
Source
Advertisement
বিজ্ঞাপন
শেয়ার করুন
Share
Share this
""")

_COMMENTS_WORD = normalize("মন্তব্য")
_READ_WORD = normalize("পড়ুন")
_AD_MARKER = regex.compile(r"\[ad_\d+\]", regex.IGNORECASE)
_COMMENTS_CLOSED_TAIL = _nre(
    r"(?:ইহাতে|এতে)?\s*মন্তব্য\s+প্রদান\s+বন্ধ\s+রয়েছে\s*$|comments\s+are\s+closed\.?\s*$"
)
_READ_MORE = _nre(r"^(?:আরও|আরো)\s*পড়ুন|^(?:read\s+more|also\s+read|see\s+also|আরও\s+দেখুন|আরো\s+দেখুন)\b")
# "... হয়েছে। আরও পড়ুন: <other story>" glued onto the end of a paragraph.
_READ_MORE_TAIL = _nre(r"(?<=[।?!.'\"]\s*)(?:আরও|আরো)\s*পড়ুন\s*[:ঃ\-].*$")
_COPYRIGHT = _nre(r"©|\bcopyright\b|all\s+rights\s+reserved|সর্বস্বত্ব|স্বত্ব\s*©|স্বত্ব\s+সংরক্ষিত")
_PUBLISHED_LABEL = _nre(
    r"^(?:প্রকাশিত\s+হয়েছে|প্রকাশের\s+সময়|প্রকাশিত|প্রকাশ"
    r"|সর্বশেষ\s+আপডেট|আপডেট\s+করা\s+হয়েছে|আপডেট|হালনাগাদ"
    r"|last\s+updated|published\s+on|published|updated\s+on|updated|posted\s+on|posted)"
    r"\s*(?:[:ঃ|\-]\s*)?"
)
_MD_HEADING = regex.compile(r"^\s{0,3}#{1,6}\s+")
_MD_IMAGE = regex.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = regex.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_SENTENCE_FINAL = regex.compile(r"[।॥?!.'\")\]]$")
_SENTENCE_PUNCT = regex.compile(r"[।॥?!.]")
_ELLIPSIS = regex.compile(r"(?:\.\.\.|…)\s*$")
_HAS_CONTENT = regex.compile(r"[\p{L}\p{N}]")
_LABEL_TRIM = regex.compile(r"^[\s:ঃ|\-•*>»]+|[\s:ঃ|\-•*>»]+$")

_BODY_MIN_WORDS = 10  # a paragraph this long that ends a sentence is article text, not a sidebar teaser
_BYLINE_MAX_WORDS = 4
_BREADCRUMB_MAX_EXTRA_WORDS = 4
_REPEAT_MIN_WORDS = 5  # shorter lines/sentences ("চলবে 16 মে পর্যন্ত।") legitimately recur in listings
_LEAD_IN_MAX_WORDS = 8  # e.g. a photo caption glued in front of a repeated sentence
_ENDING_CHARS = 20  # sentences are compared by their last characters first, to skip most work
_LEAD_IN_INDEX_CHARS = 12  # earlier sentences are found by their last characters to spot lead-ins
_ROUGH_SENTENCE_END = regex.compile(r"[।॥?!]+|\.(?=\s)")
_LABEL_MAX_CHARS = 200  # longer lines are body text, never a heading, prompt or title

# Words that may appear in a date/time line; a line made only of these and numbers is a dateline.
_MONTHS = {
    **{m: i for i, m in enumerate(
        "january february march april may june july august september october november december".split(), 1)},
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
    **{fold(_n(m)): i for i, group in enumerate((
        "জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই",
        "আগস্ট আগষ্ট অগাস্ট অগস্ট", "সেপ্টেম্বর", "অক্টোবর", "নভেম্বর", "ডিসেম্বর"), 1)
        for m in group.split()},
}
_DATE_WORDS = frozenset(fold(_n(w)) for w in """
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
শনিবার রবিবার রোববার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার বিষ্যুদবার শুক্রবার
বৈশাখ জ্যৈষ্ঠ আষাঢ় শ্রাবণ ভাদ্র আশ্বিন কার্তিক অগ্রহায়ণ পৌষ মাঘ ফাল্গুন চৈত্র
am pm a m p ist bst gmt utc at on ইং ইংরেজি খ্রিস্টাব্দ খ্রি বঙ্গাব্দ সাল বাংলা
সকাল দুপুর বিকাল বিকেল সন্ধ্যা রাত ভোর মিনিট সময়
""".split())
_DAY_NAMES = frozenset(fold(_n(w)) for w in """
monday tuesday wednesday thursday friday saturday sunday
শনিবার রবিবার রোববার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার শুক্রবার
""".split())
_LABEL_WORDS = frozenset(fold(w) for w in words(_n("প্রকাশিত হয়েছে প্রকাশ আপডেট published updated posted")))
_NUMBER = _nre(r"^(\d+)(?:st|nd|rd|th|টা|টায়|ই|এ|শে|লা|রা|ঃ)?$")
_MAX_DATE_TOKENS = 14


class _Line(NamedTuple):
    """A line (or sentence) as stored and its normalize() form: equal length, and every character
    of one corresponds to the character at the same position of the other (see match_form)."""

    shown: str
    match: str


@dataclass(frozen=True)
class _Cleaned:
    text: str
    published: str | None  # ISO date read from a "প্রকাশ: …" line, when there was one


def clean_text(raw: str, title: str | None = None) -> str:
    """Article body without page furniture, as tidy() paragraphs separated by blank lines.

    Paragraphs keep the writer's Bengali digits, curly quotes and dashes (tidy()); every decision
    below (patterns, dates, the title, repeats) is made on their normalize() form, so what is
    removed does not depend on which digits or quote marks a site used.

    Every non-empty line of the raw text is a paragraph. Rules, in order:

    1. Scraper markers `[ad_N]` vanish wherever they are; "…মন্তব্য প্রদান বন্ধ রয়েছে" /
       "Comments are closed" is cut off a line's end; Markdown heading marks and link syntax go.
    2. A short copyright line (©, Copyright, All rights reserved, সর্বস্বত্ব…) ends the article:
       what follows is site footer and other stories' headlines. (At the very top, before any
       body text, it is only dropped.)
    3. A sidebar heading (সবচেয়ে জনপ্রিয়, সম্পর্কিত খবর, Most read, …) or comment prompt
       (আপনার মতামত লিখুন, Leave a comment, …) ends the article when no body paragraph (≥ 10 words,
       ending a sentence, not a "…" teaser) follows it; otherwise only that line is dropped.
    4. Lines dropped: "আরও পড়ুন …"/"Read more"/"Also read" links, Source link/Advertisement,
       date-only lines ("Monday, September 16, 2024"), "প্রকাশিত/প্রকাশ/আপডেট/Published: <date>"
       lines, short bylines with a slash ("সান নিউজ/এমআর": ≤ 4 words, no sentence punctuation),
       lines equal to the title or ending with it after a short breadcrumb, single-word lines
       without sentence punctuation (section labels), and lines with no letters or digits.
    5. Repeats of five or more words keep only their first occurrence: a paragraph seen before; a
       sentence seen before or contained in an earlier sentence; an earlier sentence behind a
       lead-in of ≤ 8 words (a photo caption glued to a repeated paragraph). Comparison ignores
       quote marks, whitespace and case. A paragraph that lost sentences is rebuilt from the
       ones it kept. (Shorter repeats such as "চলবে 16 মে পর্যন্ত।" recur legitimately in listings.)

    Short subheadings (2-8 words, no final punctuation) stay: they are real content.
    """
    return _clean(raw, normalize(title) if title else None).text


def _clean(raw: str, title: str | None) -> _Cleaned:
    """Clean raw text; title, when given, is in normalize() form."""
    lines = [line for line in (_tidy_line(raw_line) for raw_line in raw.splitlines()) if line.match]
    lines = _cut_at_copyright(lines)
    lines = _cut_trailer(lines)
    published = next((d for d in (_published_date(line.match) for line in lines) if d), None)
    paragraphs = [line for line in lines if not _is_furniture(line.match, title)]
    return _Cleaned(text="\n\n".join(_dedupe(paragraphs)), published=published)


def _tidy_line(raw_line: str) -> _Line:
    """Tidy one raw line and strip inline furniture that never carries content.

    Tails are found in the normalize() form and cut at the same positions from both forms.
    The `in` tests only skip regexes that cannot match: they keep loading fast.
    """
    line = raw_line
    if "[" in line:
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(" ", _AD_MARKER.sub(" ", line)))
    if line.lstrip().startswith("#"):
        line = _MD_HEADING.sub("", line)
    shown = tidy(line)
    tidied = _Line(shown, match_form(shown))
    if _COMMENTS_WORD in tidied.match or "comments" in tidied.match.casefold():
        tidied = _remove_matches(_COMMENTS_CLOSED_TAIL, tidied)
    if _READ_WORD in tidied.match:
        tidied = _remove_matches(_READ_MORE_TAIL, tidied)
    # Whitespace is the same in both forms (match_form maps no whitespace), so both strip alike.
    return _Line(tidied.shown.strip(), tidied.match.strip())


def _remove_matches(pattern: regex.Pattern[str], line: _Line) -> _Line:
    """`pattern.sub("", line.match)`, and the same spans cut from line.shown."""
    shown: list[str] = []
    match: list[str] = []
    start = 0
    for found in pattern.finditer(line.match):
        shown.append(line.shown[start : found.start()])
        match.append(line.match[start : found.start()])
        start = found.end()
    if not start:
        return line
    shown.append(line.shown[start:])
    match.append(line.match[start:])
    return _Line("".join(shown), "".join(match))


def _label(line: str) -> str:
    """A line as a heading/prompt: case-folded, without edge punctuation like ':' or '|'."""
    if len(line) > _LABEL_MAX_CHARS:
        return ""
    return " ".join(_LABEL_TRIM.sub("", line.casefold()).split())


def _key(text: str) -> str:
    """Identity of normalize()d text for repeat detection: ignores quote marks, whitespace and case.

    normalize() has already turned every curly or angled quote into ' or ", so str methods
    (much faster than a regex here) are enough.
    """
    return "".join(text.casefold().replace("'", "").replace('"', "").split())


def _is_body_paragraph(line: str) -> bool:
    return (
        len(line.split()) >= _BODY_MIN_WORDS
        and bool(_SENTENCE_FINAL.search(line))
        and not _ELLIPSIS.search(line)
    )


def _cut_at_copyright(lines: list[_Line]) -> list[_Line]:
    """Everything from a copyright line on is footer; only once some body text came before it."""
    for i, line in enumerate(lines):
        if _is_copyright(line.match) and any(len(previous.match.split()) >= 5 for previous in lines[:i]):
            return lines[:i]
    return lines


def _is_copyright(line: str) -> bool:
    return len(line) <= _LABEL_MAX_CHARS and len(line.split()) <= 15 and bool(_COPYRIGHT.search(line))


def _cut_trailer(lines: list[_Line]) -> list[_Line]:
    """Cut at the first sidebar heading or comment prompt that no body paragraph follows."""
    for i, line in enumerate(lines):
        if _is_trailer_marker(line.match) and not any(_is_body_paragraph(rest.match) for rest in lines[i + 1 :]):
            return lines[:i]
    return lines


def _is_trailer_marker(line: str) -> bool:
    label = _label(line)
    return label in _SIDEBAR_HEADINGS or label in _COMMENT_PROMPTS


def _is_furniture(line: str, title: str | None) -> bool:
    """Lines that are page furniture wherever they appear (see clean_text, rule 4)."""
    if len(line) > _LABEL_MAX_CHARS:  # body text: only a "read more" link can be this long
        return bool(_READ_MORE.match(line))
    label = _label(line)
    return (
        not _HAS_CONTENT.search(line)
        or label in _OTHER_FURNITURE
        or _is_trailer_marker(line)
        or bool(_READ_MORE.match(line))
        or _is_copyright(line)
        or _is_date_text(line)
        or _published_label_end(line) is not None
        or _is_byline(line)
        or bool(title and _is_title_line(line, title))
        or _is_section_label(line)
    )


def _is_byline(line: str) -> bool:
    return "/" in line and len(line.split()) <= _BYLINE_MAX_WORDS and not _SENTENCE_PUNCT.search(line)


def _is_title_line(line: str, title: str) -> bool:
    """The title repeated in the body, or a breadcrumb trail that ends with it."""
    key, title_key = _key(_label(line)), _key(title)
    if key == title_key:
        return True
    extra_words = len(line.split()) - len(title.split())
    return key.endswith(title_key) and extra_words <= _BREADCRUMB_MAX_EXTRA_WORDS


def _is_section_label(line: str) -> bool:
    return len(line.split()) == 1 and not _SENTENCE_PUNCT.search(line)


# --- dates -----------------------------------------------------------------------------------------


def _date_tokens(text: str) -> list[str]:
    return [fold(token) for token in words(text)]


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def _is_date_text(text: str, extra_words: frozenset[str] = frozenset()) -> bool:
    """A line made only of day/month names, numbers and time words: a dateline or page header."""
    if len(text.split()) > _MAX_DATE_TOKENS:
        return False  # cheap early exit: body paragraphs are never datelines
    tokens = _date_tokens(text)
    if not tokens or len(tokens) > _MAX_DATE_TOKENS:
        return False
    allowed = _DATE_WORDS | extra_words
    if not all(_is_number(t) or t in allowed or t in _MONTHS for t in tokens):
        return False
    return any(_is_number(t) for t in tokens) and any(t in _MONTHS or t in _DAY_NAMES for t in tokens)


def _published_label_end(line: str) -> int | None:
    """End of a "প্রকাশ:/আপডেট:/Published:" label when the rest of the line is a date."""
    match = _PUBLISHED_LABEL.match(line)
    if not match or match.end() == len(line):
        return None
    rest = line[match.end():]
    return match.end() if _is_date_text(rest, _LABEL_WORDS) else None


def _published_date(line: str) -> str | None:
    """ISO date stated by a "প্রকাশিত হয়েছে – 27 অক্টোবর, 2025 …" line, if it is one."""
    end = _published_label_end(line)
    return _parse_date(line[end:]) if end is not None else None


def _parse_date(text: str) -> str | None:
    """Day, month name and four-digit year in either order ("27 অক্টোবর, 2025", "Sep 16, 2024")."""
    tokens = _date_tokens(text)
    numbers = {i: int(_NUMBER.match(t).group(1)) for i, t in enumerate(tokens) if _is_number(t)}
    month_at = next((i for i, t in enumerate(tokens) if t in _MONTHS), None)
    year = next((n for n in numbers.values() if 1900 <= n <= 2100), None)
    if month_at is None or year is None:
        return None
    for i in (month_at - 1, month_at + 1):
        day = numbers.get(i)
        if day is not None and 1 <= day <= 31:
            try:
                return date(year, _MONTHS[tokens[month_at]], day).isoformat()
            except ValueError:
                return None
    return None


# --- repeats ---------------------------------------------------------------------------------------


def _dedupe(paragraphs: list[_Line]) -> list[str]:
    """Keep the first occurrence of every paragraph and sentence (clean_text, rule 5), as shown."""
    repeats = _RepeatFilter()
    return [kept for kept in map(repeats.filter, paragraphs) if kept]


class _RepeatFilter:
    """Remembers what an article has said so far, to drop what it says again.

    Splitting sentences is the costly part, so a paragraph is only split when one of its
    sentence endings (the last characters before । ? ! .) was seen before: a repeated sentence
    ends where its earlier copy ends, since a sentence holds no other final punctuation.
    Earlier paragraphs are split lazily, the first time a repeat is suspected.
    Everything is compared in normalize() form; what is returned is the shown (tidy()) form.
    """

    def __init__(self) -> None:
        self._paragraphs: set[str] = set()
        self._sentences: set[str] = set()
        self._earlier: list[str] = []
        self._endings: set[str] = set()
        self._unsplit: list[_Line] = []
        self._by_ending: dict[str, list[str]] = {}

    def filter(self, line: _Line) -> str | None:
        """The paragraph as shown without repeated sentences; None when nothing new is left."""
        paragraph = line.match
        key = _key(paragraph)
        if key in self._paragraphs and len(paragraph.split()) >= _REPEAT_MIN_WORDS:
            return None
        self._paragraphs.add(key)
        endings = _sentence_endings(paragraph)
        suspect = len(set(endings)) < len(endings) or not self._endings.isdisjoint(endings)
        self._endings.update(endings)
        if not suspect:
            self._unsplit.append(line)
            return line.shown
        self._split_earlier()
        sentences = _sentences(line)
        kept = [sentence.shown for sentence in sentences if self._is_new(sentence.match)]
        if len(kept) == len(sentences):
            return line.shown
        return " ".join(kept) or None

    def _split_earlier(self) -> None:
        for paragraph in self._unsplit:
            for sentence in _sentences(paragraph):
                self._remember(_key(sentence.match))
        self._unsplit.clear()

    def _remember(self, key: str) -> None:
        self._sentences.add(key)
        self._earlier.append(key)
        self._by_ending.setdefault(key[-_LEAD_IN_INDEX_CHARS:], []).append(key)

    def _is_new(self, sentence: str) -> bool:
        """False for a repeat (≥ 5 words): seen before, inside an earlier sentence, or behind a lead-in."""
        key = _key(sentence)
        tokens = sentence.split()
        if len(tokens) >= _REPEAT_MIN_WORDS and (
            key in self._sentences
            or any(key in earlier for earlier in self._earlier)
            or self._repeats_after_lead_in(key, tokens)
        ):
            return False
        self._remember(key)
        return True

    def _repeats_after_lead_in(self, key: str, tokens: list[str]) -> bool:
        """An earlier sentence (≥ 5 words) with at most 8 words glued in front of it."""
        for earlier in self._by_ending.get(key[-_LEAD_IN_INDEX_CHARS:], ()):
            if len(earlier) < len(key) and key.endswith(earlier):
                lead_in = _words_before(tokens, len(key) - len(earlier))
                if lead_in is not None and _is_lead_in(lead_in, len(tokens)):
                    return True
        return False


def _is_lead_in(lead_in_words: int, total_words: int) -> bool:
    return lead_in_words <= _LEAD_IN_MAX_WORDS and total_words - lead_in_words >= _REPEAT_MIN_WORDS


def _sentence_endings(paragraph: str) -> list[str]:
    """The last characters (as keys) of each rough sentence: cheap, and equal for repeats."""
    pieces = _ROUGH_SENTENCE_END.split(paragraph)
    keys = (_key(piece[-2 * _ENDING_CHARS :])[-_ENDING_CHARS:] for piece in pieces)
    return [key for key in keys if key]


def _words_before(tokens: list[str], key_chars: int) -> int | None:
    """How many whole tokens make up the first key_chars of their joined key (None: mid-token)."""
    length = 0
    for count, token in enumerate(tokens):
        if length == key_chars:
            return count
        if length > key_chars:
            return None
        length += len(_key(token))
    return None


def _sentences(paragraph: _Line) -> list[_Line]:
    """split_sentences of the normalize() form, with punctuation-only pieces (a closing quote
    after ।) re-attached; each sentence is also cut, at the same positions, from the shown form.

    (Splitting the shown form itself could differ: an opening ‘ after । is a closing ' once
    normalised, and the split must stay the one every decision was made on.)
    """
    merged: list[_Line] = []
    end = 0
    for piece in split_sentences(paragraph.match):
        # Pieces come in order, separated only by whitespace, and start with a non-space.
        start = paragraph.match.find(piece, end)
        end = start + len(piece)
        sentence = _Line(paragraph.shown[start:end], piece)
        if merged and not _HAS_CONTENT.search(piece):
            merged[-1] = _Line(merged[-1].shown + sentence.shown, merged[-1].match + piece)
        else:
            merged.append(sentence)
    return merged
