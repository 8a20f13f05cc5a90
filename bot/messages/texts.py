"""The shape of the interface strings of one language (`Texts`, one field a message) and the helpers
that write numbers, lists, durations and re-index stages in that language."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from retrieval import IndexStage

_BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")

_STAGES_BN: dict[IndexStage, str] = {  # every stage the indexer reports (IndexStage), no others
    "chunking": "অনুচ্ছেদে ভাগ করা হচ্ছে",
    "embedding": "এমবেডিং তৈরি হচ্ছে",
    "saving": "সংরক্ষণ করা হচ্ছে",
}


def bn_digits(value: object) -> str:
    """The value as text with Bengali digits."""
    return str(value).translate(_BN_DIGITS)


@dataclass(frozen=True)
class Texts:
    """The interface strings of one language."""

    lang: str
    start: str
    help: str
    ask_usage: str
    empty: str
    too_long: str
    no_words: str
    non_text: str
    rate_limited: str
    no_answer: str
    no_answer_because: dict[str, str]  # NoAnswerReason -> one line shown under no_answer
    index_missing: str
    error: str
    unknown_command: str
    result_gone: str
    not_this_chat: str  # a button pressed outside the chat of its answer
    unknown_button: str
    feedback_thanks: str
    inline_button: str
    inline_too_short: str
    admin_only: str
    reindex_running: str
    reindex_started: str
    reindex_progress: str
    reindex_pace: str  # embedding speed and time left, under reindex_progress
    reindex_summary: str
    reindex_skipped_line: str
    reindex_failed: str
    reindex_done: str
    reindex_interrupted: str  # the bot stopped (SIGTERM) during a re-index; the old index keeps serving
    upload_bad_type: str  # {suffixes}: the corpus file types, from the library
    upload_too_big: str
    upload_refused: str
    upload_saved: str
    upload_busy: str
    upload_kept_both: str  # the name was taken: saved beside the existing file under another name
    upload_identical: str
    upload_replace_ask: str  # a new version of an existing file: what replacing it would change
    upload_replace_button: str
    upload_cancel_button: str
    upload_replaced: str
    upload_cancelled: str
    upload_changed: str  # the file to replace changed between the question and the answer
    upload_gone: str  # a replace/cancel button whose upload was decided already or expired
    status: str
    status_reindexing: str
    stats: str
    stats_chat_line: str
    stats_private_line: str  # private chats are counted, never listed
    sources_header: str
    sources_line: str
    sources_empty: str
    never: str
    dense_on: str
    dense_off: str
    inline_no_answer: str
    untitled: str  # heads a result whose article states no title, outlet or date
    no_answer_short: str  # the command line's one-line no-answer, before the reason
    also_reported: str  # {outlets}: other outlets' reports of the same story
    latest_header: str
    latest_topic_header: str  # {topic}
    latest_empty: str
    latest_line: str  # {n} {title} {meta}
    corpus_changed: str  # the corpus changed since the index was built (an admin's no-answer)
    corpus_changed_cli: str  # the same under `sondhani ask`'s no-answer
    remove_usage: str
    remove_ask: str  # {label} {doc_id} {file}: confirm with a button
    remove_button: str
    remove_cancelled: str
    remove_done: str  # {label} {moved}: then the re-index progress
    remove_refused: str  # {reason}
    remove_gone: str  # a button whose removal was decided already, expired, or never asked
    units: tuple[str, str, str]  # days, hours, minutes
    seconds_unit: str
    last_of_list: str  # joins the last two items of a list: " বা ", " and "

    def num(self, value: object) -> str:
        """A number in this language's digits."""
        return bn_digits(value) if self.lang == "bn" else str(value)

    def listing(self, items: Iterable[str]) -> str:
        """Items as ".md, .txt and .jsonl" in this language."""
        *first, last = items
        return f"{', '.join(first)}{self.last_of_list}{last}" if first else last

    def duration(self, seconds: float) -> str:
        """A duration as "2 d 3 h 4 min" in this language."""
        minutes = int(seconds // 60)
        days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
        parts = [f"{self.num(n)} {unit}" for n, unit in zip((days, hours), self.units[:2], strict=True) if n]
        return " ".join([*parts, f"{self.num(mins)} {self.units[2]}"])

    def stage(self, stage: IndexStage) -> str:
        """A re-index stage word in this language."""
        return _STAGES_BN[stage] if self.lang == "bn" else stage

    def time_left(self, seconds: float) -> str:
        """A remaining time, rounded up: "40 s" under a minute, else "2 h 5 min" in whole minutes."""
        if seconds < 60:
            return f"{self.num(math.ceil(max(seconds, 0)))} {self.seconds_unit}"
        return self.duration(math.ceil(seconds / 60) * 60)
