"""What a question says of when: windows relative to today, explicit dates, and "latest"."""

from __future__ import annotations

from datetime import date

from retrieval.text.recency import time_wish

TODAY = date(2025, 10, 6)


def test_a_question_without_time_words_has_no_wish() -> None:
    assert time_wish("যুদ্ধে কতজন সেনা নিহত হয়েছেন?", TODAY) is None


def test_relative_days_count_from_today() -> None:
    today = time_wish("আজ ডিজেলের দাম কত?", TODAY)
    yesterday = time_wish("গতকাল ডেঙ্গুতে কতজন মারা গেছেন?", TODAY)
    assert today is not None and (today.start, today.end) == (TODAY, TODAY)
    assert yesterday is not None and yesterday.holds("2025-10-05") and not yesterday.holds("2025-10-06")
    assert not today.words  # "আজ" stays a question word: news text says it too


def test_latest_asks_for_the_newest_and_leaves_matching() -> None:
    wish = time_wish("সর্বশেষ বাজারদর অনুযায়ী চালের কেজি কত?", TODAY)
    assert wish is not None and wish.newest and wish.start is None
    assert wish.words  # "সর্বশেষ" only says when
    english = time_wish("What is the latest water level?", TODAY)
    assert english is not None and english.newest


def test_periods_this_and_last() -> None:
    week = time_wish("এই সপ্তাহে কী হয়েছে?", TODAY)
    last_month = time_wish("গত মাসে দাম কত ছিল?", TODAY)
    last_year = time_wish("last year flood", TODAY)
    assert week is not None and week.holds("2025-09-30") and not week.holds("2025-09-29")
    assert last_month is not None and (last_month.start, last_month.end) == (date(2025, 9, 1), date(2025, 9, 30))
    assert last_year is not None and last_year.holds("2024-07-01") and not last_year.holds("2025-01-01")


def test_explicit_dates_months_and_years() -> None:
    day = time_wish("২০২৪ সালের ১৫ অক্টোবর কতজন ভর্তি হন?", TODAY)
    month = time_wish("২০২৪ সালের জুনে ডিমের দাম কত ছিল?", TODAY)
    year = time_wish("2024 সালে কী হয়েছিল?", TODAY)
    any_june = time_wish("জুনে কিম ও পুতিনের বৈঠক কততম?", TODAY)
    assert day is not None and day.holds("2024-10-16") and not day.holds("2024-10-20")
    assert month is not None and month.holds("2024-06-30") and not month.holds("2024-07-01")
    assert year is not None and year.holds("2024-12-31") and not year.holds("2025-01-01")
    assert any_june is not None and any_june.holds("2019-06-10") and any_june.holds("2024-06-19")
    assert not any_june.holds("2024-07-01") and not any_june.holds(None) and not any_june.holds("not a date")
