"""When a question wants its news from: "সর্বশেষ" (latest), "আজ" (today), "গত সপ্তাহে" (last week), or
an explicit date ("১৯ জুন", "জুনে", "২০২৪ সালে"), in Bengali, English or romanised Bengali.

Relative words count from `today` (the caller's date). The result is a window of publication dates,
or the wish for the newest reports, and the question words that said it: those only say *when*, so
the retriever leaves them out of matching and weighs candidates by their article's date instead. An
explicit date stays a question word too: the answering passage often states it ("বুধবার (১৯ জুন)").
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from retrieval.text.analyser import fold, normalize, stem, words
from retrieval.text.dates import MONTHS


@dataclass(frozen=True)
class TimeWish:
    """Publication dates a question asks about: a window (inclusive), and/or the newest first."""

    start: date | None
    end: date | None
    newest: bool
    words: frozenset[str]  # words that only ask for the newest ("সর্বশেষ", "latest"): left out of matching
    any_year: bool = False  # "১৯ জুন", "জুনে" without a year: that day or month of any year

    def holds(self, published: str | None) -> bool:
        if self.start is None or self.end is None or not published:
            return False
        try:
            day = date.fromisoformat(published)
        except ValueError:
            return False
        if self.any_year:
            key = (day.month, day.day)
            return (self.start.month, self.start.day) <= key <= (self.end.month, self.end.day)
        return self.start <= day <= self.end


def _folded(raw: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words(normalize(raw)))


_NEWEST = _folded("সর্বশেষ সাম্প্রতিক সাম্প্রতিকতম হালনাগাদ সবশেষ latest recent newest sorboshesh shorboshesh")
# (words, days back the window starts, days back it ends) for relative days and weeks
_RELATIVE_DAYS = (
    (_folded("আজ আজকে আজকের today ajke aj"), 0, 0),
    (_folded("গতকাল গতকালের yesterday gotokal kalke"), 1, 1),
)
_THIS = _folded("এই এ চলতি this ei")
_LAST = _folded("গত গেল last previous past goto")
_WEEK = _folded("সপ্তাহে সপ্তাহ সপ্তাহের week soptahe")
_MONTH = _folded("মাসে মাস মাসের month mashe mase")
_YEAR = _folded("বছর বছরে বছরের সালে সাল সালের year bochor bochore")


def time_wish(question: str, today: date) -> TimeWish | None:
    """What the question says of when, or None when it says nothing of it."""
    tokens = [fold(w) for w in words(normalize(question))]
    said: set[str] = set()
    newest = False
    start = end = None
    for token in tokens:
        if token in _NEWEST:
            newest = True
            said.add(token)
    for vocabulary, back_start, back_end in _RELATIVE_DAYS:
        if any(t in vocabulary for t in tokens):  # stays a question word: news text says "আজ" too
            start, end = today - timedelta(days=back_start), today - timedelta(days=back_end)
    any_year = False
    window = _period(tokens, today, said)
    if window is None:
        explicit = _explicit(tokens, today, said)
        if explicit is not None:
            window, any_year = explicit[:2], explicit[2]
    if window is not None:
        start, end = window
    if start is None and not newest:
        return None
    return TimeWish(start, end, newest, frozenset(said), any_year)


def _period(tokens: list[str], today: date, said: set[str]) -> tuple[date, date] | None:
    """ "এই সপ্তাহে", "গত মাসে", "last year"..."""
    for i in range(len(tokens) - 1):
        which, unit = tokens[i], tokens[i + 1]
        if which not in _THIS | _LAST or unit not in _WEEK | _MONTH | _YEAR:
            continue
        last = which in _LAST
        if unit in _WEEK:
            return (today - timedelta(days=13), today - timedelta(days=7)) if last else (today - timedelta(6), today)
        if unit in _MONTH:
            first = today.replace(day=1)
            if last:
                first = (first - timedelta(days=1)).replace(day=1)
            return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
        year = today.year - 1 if last else today.year
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _explicit(tokens: list[str], today: date, said: set[str]) -> tuple[date, date, bool] | None:
    """ "১৯ জুন" (a day: that day and the next two, when the reports come out), "জুনে" / "জুন ২০২৪" (a
    month), "২০২৪ সালে" (a year); (start, end, any year). A day or month without a year is of any year,
    unless "গত" (last) says it is the last one on or before today."""
    month_at = next((i for i, t in enumerate(tokens) if _month(t)), None)
    years = [int(t) for t in tokens if t.isdigit() and len(t) == 4 and 1950 <= int(t) <= 2100]
    year = years[0] if years else None
    if month_at is None:
        if year is None:
            return None
        return date(year, 1, 1), date(year, 12, 31), False
    month = _month(tokens[month_at]) or 1
    day = next((int(t) for t in tokens[max(0, month_at - 1) : month_at + 2] if t.isdigit() and 1 <= int(t) <= 31), None)
    any_year = year is None and not (month_at > 0 and tokens[month_at - 1] in _LAST)
    if year is None:
        year = today.year if (month, day or 1) <= (today.month, today.day) else today.year - 1
        if any_year:
            year = 2000  # a leap year: every day of every month exists in it
    if day is not None:
        try:
            exact = date(year, month, day)
        except ValueError:
            return None
        last = exact + timedelta(days=2)
        return exact, (last if last.year == exact.year else date(year, 12, 31)), any_year
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), any_year


def _month(token: str) -> int | None:
    """The month a token names ("জুনে" is জুন + a case ending); English names only in full."""
    for form in (token, stem(token)):
        month = MONTHS.get(form)
        if month is not None and (not form.isascii() or len(form) > 3):
            return month
    return None
