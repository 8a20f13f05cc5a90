"""Dates in Bengali and English news text: month and day names in every spelling, and the date a
dateline ("প্রকাশ: ১২ জুলাই ২০২৫", "Published: Sep 16, 2024") or a date-only line states.

Furniture cleaning drops such lines and keeps the date as the article's; link extraction reads the same
lines from a page; the bot shows dates with BENGALI_MONTHS. Everything compares the case-folded,
fold()ed normalize() form (ASCII digits), the form `furniture` works in.
"""

from __future__ import annotations

from datetime import date

import regex

from retrieval.text.analyser import fold, normalize, words


def _n(text: str) -> str:
    return normalize(text).casefold()


def _nre(pattern: str) -> regex.Pattern[str]:
    return regex.compile(normalize(pattern), regex.IGNORECASE)


# The Bengali month names, January first: each entry its spellings, the usual one first.
BENGALI_MONTH_SPELLINGS = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট আগষ্ট অগাস্ট অগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)
BENGALI_MONTHS = tuple(spellings.split()[0] for spellings in BENGALI_MONTH_SPELLINGS)  # as dates are shown

# Words that may appear in a date/time line; a line made only of these and numbers is a dateline.
MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            "january february march april may june july august september october november december".split(), 1
        )
    },
    **{m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
    "sept": 9,
    **{fold(_n(m)): i for i, group in enumerate(BENGALI_MONTH_SPELLINGS, 1) for m in group.split()},
}
DATE_WORDS = frozenset(
    fold(_n(w))
    for w in """
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
শনিবার রবিবার রোববার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার বিষ্যুদবার শুক্রবার
বৈশাখ জ্যৈষ্ঠ আষাঢ় শ্রাবণ ভাদ্র আশ্বিন কার্তিক অগ্রহায়ণ পৌষ মাঘ ফাল্গুন চৈত্র
am pm a m p ist bst gmt utc at on ইং ইংরেজি খ্রিস্টাব্দ খ্রি বঙ্গাব্দ সাল বাংলা
সকাল দুপুর বিকাল বিকেল সন্ধ্যা রাত ভোর মিনিট সময়
""".split()
)
DAY_NAMES = frozenset(
    fold(_n(w))
    for w in """
monday tuesday wednesday thursday friday saturday sunday
শনিবার রবিবার রোববার সোমবার মঙ্গলবার বুধবার বৃহস্পতিবার শুক্রবার
""".split()
)
LABEL_WORDS = frozenset(fold(w) for w in words(_n("প্রকাশিত হয়েছে প্রকাশ আপডেট published updated posted")))

_PUBLISHED_LABEL = _nre(
    r"^(?:প্রকাশিত\s+হয়েছে|প্রকাশের\s+সময়|প্রকাশিত|প্রকাশ"
    r"|সর্বশেষ\s+আপডেট|আপডেট\s+করা\s+হয়েছে|আপডেট|হালনাগাদ"
    r"|last\s+updated|published\s+on|published|updated\s+on|updated|posted\s+on|posted)"
    r"\s*(?:[:ঃ|\-]\s*)?"
)
_NUMBER = _nre(r"^(\d+)(?:st|nd|rd|th|টা|টায়|ই|এ|শে|লা|রা|ঃ)?$")
_MAX_DATE_TOKENS = 14


def _date_tokens(text: str) -> list[str]:
    return [fold(token) for token in words(text)]


def _is_number(token: str) -> bool:
    return bool(_NUMBER.match(token))


def is_date_text(text: str, extra_words: frozenset[str] = frozenset()) -> bool:
    """A line made only of day/month names, numbers and time words: a dateline or page header."""
    if len(text.split()) > _MAX_DATE_TOKENS:
        return False  # cheap early exit: body paragraphs are never datelines
    tokens = _date_tokens(text)
    if not tokens or len(tokens) > _MAX_DATE_TOKENS:
        return False
    allowed = DATE_WORDS | extra_words
    if not all(_is_number(t) or t in allowed or t in MONTHS for t in tokens):
        return False
    return any(_is_number(t) for t in tokens) and any(t in MONTHS or t in DAY_NAMES for t in tokens)


def published_label_end(line: str) -> int | None:
    """End of a "প্রকাশ:/আপডেট:/Published:" label when the rest of the line is a date."""
    match = _PUBLISHED_LABEL.match(line)
    if not match or match.end() == len(line):
        return None
    rest = line[match.end() :]
    return match.end() if is_date_text(rest, LABEL_WORDS) else None


def published_date(line: str) -> str | None:
    """ISO date stated by a "প্রকাশিত হয়েছে – 27 অক্টোবর, 2025 …" line, if it is one."""
    end = published_label_end(line)
    return _parse_date(line[end:]) if end is not None else None


def _parse_date(text: str) -> str | None:
    """Day, month name and four-digit year in either order ("27 অক্টোবর, 2025", "Sep 16, 2024")."""
    tokens = _date_tokens(text)
    numbers = {i: int(_NUMBER.match(t).group(1)) for i, t in enumerate(tokens) if _is_number(t)}
    month_at = next((i for i, t in enumerate(tokens) if t in MONTHS), None)
    year = next((n for n in numbers.values() if 1900 <= n <= 2100), None)
    if month_at is None or year is None:
        return None
    for i in (month_at - 1, month_at + 1):
        day = numbers.get(i)
        if day is not None and 1 <= day <= 31:
            try:
                return date(year, MONTHS[tokens[month_at]], day).isoformat()
            except ValueError:
                return None
    return None
