"""Page furniture: what a scraped news page carries besides the article, removed by `clean_text`.

Ads, sidebars ("সবচেয়ে জনপ্রিয়"), comment prompts, datelines, bylines, breadcrumbs and footers would
be indexed as passages and returned as answers. Admins add articles scraped from arbitrary sites, so
the rules are generic (see clean_text), never phrases specific to one article; the phrase lists they
use are in `furniture_phrases`, dates and datelines in `dates`, and repeat removal (rule 5) is `repeats`.

Text is returned in tidy() form, as readers see it: the writer's own Bengali digits, curly quotes and
dashes stay. Every cleaning decision compares the normalize() form.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from retrieval.text.analyser import match_form, normalize, tidy
from retrieval.text.dates import is_date_text, published_date, published_label_end
from retrieval.text.furniture_phrases import (
    COMMENT_PROMPTS,
    OTHER_FURNITURE,
    SIDEBAR_HEADINGS,
)
from retrieval.text.repeats import HAS_CONTENT, Line, dedupe, text_key


def _nre(pattern: str) -> regex.Pattern[str]:
    """Compile a pattern written in plain Bengali so it matches normalised text, any case."""
    return regex.compile(normalize(pattern), regex.IGNORECASE)


_COMMENTS_WORD = normalize("মন্তব্য")
_READ_WORD = normalize("পড়ুন")
_AD_MARKER = regex.compile(r"\[ad_\d+\]", regex.IGNORECASE)
_COMMENTS_CLOSED_TAIL = _nre(r"(?:ইহাতে|এতে)?\s*মন্তব্য\s+প্রদান\s+বন্ধ\s+রয়েছে\s*$|comments\s+are\s+closed\.?\s*$")
_READ_MORE = _nre(r"^(?:আরও|আরো)\s*পড়ুন|^(?:read\s+more|also\s+read|see\s+also|আরও\s+দেখুন|আরো\s+দেখুন)\b")
# "... হয়েছে। আরও পড়ুন: <other story>" glued onto the end of a paragraph.
_READ_MORE_TAIL = _nre(r"(?<=[।?!.'\"]\s*)(?:আরও|আরো)\s*পড়ুন\s*[:ঃ\-].*$")
_COPYRIGHT = _nre(r"©|\bcopyright\b|all\s+rights\s+reserved|সর্বস্বত্ব|স্বত্ব\s*©|স্বত্ব\s+সংরক্ষিত")
_MD_HEADING = regex.compile(r"^\s{0,3}#{1,6}\s+")
_MD_IMAGE = regex.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = regex.compile(r"\[([^\]]+)\]\([^)\s]+\)")
_SENTENCE_FINAL = regex.compile(r"[।॥?!.'\")\]]$")
_SENTENCE_PUNCT = regex.compile(r"[।॥?!.]")
_ELLIPSIS = regex.compile(r"(?:\.\.\.|…)\s*$")
_LABEL_TRIM = regex.compile(r"^[\s:ঃ|\-•*>»]+|[\s:ঃ|\-•*>»]+$")

_BODY_MIN_WORDS = 10  # a paragraph this long that ends a sentence is article text, not a sidebar teaser
_BYLINE_MAX_WORDS = 4
_BREADCRUMB_MAX_EXTRA_WORDS = 4
_LABEL_MAX_CHARS = 200  # longer lines are body text, never a heading, prompt or title


@dataclass(frozen=True)
class Cleaned:
    """An article body after `clean`, and the publication date its dateline stated, if any."""

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
       This rule lives in `repeats`.

    Short subheadings (2-8 words, no final punctuation) stay: they are real content.
    """
    return clean(raw, normalize(title) if title else None).text


def clean(raw: str, title: str | None) -> Cleaned:
    """Clean raw text as clean_text does, also reading the dateline; title, when given, is in normalize() form."""
    lines = _article_lines(raw)
    paragraphs = [line for line in lines if not _is_furniture(line.match, title)]
    return Cleaned(text="\n\n".join(dedupe(paragraphs)), published=_stated_date(lines))


def stated_date(raw: str) -> str | None:
    """The ISO date a "প্রকাশ: …" / "Published: …" line of raw text states, read as `clean` reads it
    (lines after a copyright line or in a trailing sidebar do not count), or None."""
    return _stated_date(_article_lines(raw))


def _article_lines(raw: str) -> list[Line]:
    """The raw text's non-empty lines, tidied, up to the copyright line and before a trailing sidebar."""
    lines = [line for line in (_tidy_line(raw_line) for raw_line in raw.splitlines()) if line.match]
    return _cut_trailer(_cut_at_copyright(lines))


def _stated_date(lines: list[Line]) -> str | None:
    return next((d for d in (published_date(line.match) for line in lines) if d), None)


def _tidy_line(raw_line: str) -> Line:
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
    tidied = Line(shown, match_form(shown))
    if _COMMENTS_WORD in tidied.match or "comments" in tidied.match.casefold():
        tidied = _remove_matches(_COMMENTS_CLOSED_TAIL, tidied)
    if _READ_WORD in tidied.match:
        tidied = _remove_matches(_READ_MORE_TAIL, tidied)
    # Whitespace is the same in both forms (match_form maps no whitespace), so both strip alike.
    return Line(tidied.shown.strip(), tidied.match.strip())


def _remove_matches(pattern: regex.Pattern[str], line: Line) -> Line:
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
    return Line("".join(shown), "".join(match))


def _label(line: str) -> str:
    """A line as a heading/prompt: case-folded, without edge punctuation like ':' or '|'."""
    if len(line) > _LABEL_MAX_CHARS:
        return ""
    return " ".join(_LABEL_TRIM.sub("", line.casefold()).split())


def _is_body_paragraph(line: str) -> bool:
    return len(line.split()) >= _BODY_MIN_WORDS and bool(_SENTENCE_FINAL.search(line)) and not _ELLIPSIS.search(line)


def _cut_at_copyright(lines: list[Line]) -> list[Line]:
    """Everything from a copyright line on is footer; only once some body text came before it."""
    for i, line in enumerate(lines):
        if _is_copyright(line.match) and any(len(previous.match.split()) >= 5 for previous in lines[:i]):
            return lines[:i]
    return lines


def _is_copyright(line: str) -> bool:
    return len(line) <= _LABEL_MAX_CHARS and len(line.split()) <= 15 and bool(_COPYRIGHT.search(line))


def _cut_trailer(lines: list[Line]) -> list[Line]:
    """Cut at the first sidebar heading or comment prompt that no body paragraph follows."""
    for i, line in enumerate(lines):
        if _is_trailer_marker(line.match) and not any(_is_body_paragraph(rest.match) for rest in lines[i + 1 :]):
            return lines[:i]
    return lines


def _is_trailer_marker(line: str) -> bool:
    label = _label(line)
    return label in SIDEBAR_HEADINGS or label in COMMENT_PROMPTS


def _is_furniture(line: str, title: str | None) -> bool:
    """Lines that are page furniture wherever they appear (see clean_text, rule 4)."""
    if len(line) > _LABEL_MAX_CHARS:  # body text: only a "read more" link can be this long
        return bool(_READ_MORE.match(line))
    label = _label(line)
    return (
        not HAS_CONTENT.search(line)
        or label in OTHER_FURNITURE
        or _is_trailer_marker(line)
        or bool(_READ_MORE.match(line))
        or _is_copyright(line)
        or is_date_text(line)
        or published_label_end(line) is not None
        or _is_byline(line)
        or bool(title and _is_title_line(line, title))
        or _is_section_label(line)
    )


def _is_byline(line: str) -> bool:
    return "/" in line and len(line.split()) <= _BYLINE_MAX_WORDS and not _SENTENCE_PUNCT.search(line)


def _is_title_line(line: str, title: str) -> bool:
    """The title repeated in the body, or a breadcrumb trail that ends with it."""
    key, title_key = text_key(_label(line)), text_key(title)
    if key == title_key:
        return True
    extra_words = len(line.split()) - len(title.split())
    return key.endswith(title_key) and extra_words <= _BREADCRUMB_MAX_EXTRA_WORDS


def _is_section_label(line: str) -> bool:
    return len(line.split()) == 1 and not _SENTENCE_PUNCT.search(line)


# --- dates -----------------------------------------------------------------------------------------
