"""Repeat removal (`furniture.clean_text`, rule 5): an article keeps the first occurrence of every
paragraph and sentence of five or more words.

Scraped pages repeat themselves: a pull quote, a photo caption glued to the paragraph it repeats,
a summary box. Repeated passages would crowd out other answers, so they go; shorter repeats
("চলবে 16 মে পর্যন্ত।") recur legitimately in listings and stay.

Each paragraph is a `Line`: the text as stored (tidy() form) and its normalize() form. Every
decision is made on the normalize() form, so digits and quote styles do not matter; what is
returned is the stored form, as the writer wrote it.
"""

from __future__ import annotations

from typing import NamedTuple

import regex

from retrieval.text.analyser import split_sentences

# A letter or digit: a piece without one (a lone closing quote, "***") carries no content of its own.
HAS_CONTENT = regex.compile(r"[\p{L}\p{N}]")

_REPEAT_MIN_WORDS = 5  # shorter lines/sentences ("চলবে 16 মে পর্যন্ত।") legitimately recur in listings
_LEAD_IN_MAX_WORDS = 8  # e.g. a photo caption glued in front of a repeated sentence
_ENDING_CHARS = 20  # sentences are compared by their last characters first, to skip most work
_LEAD_IN_INDEX_CHARS = 12  # earlier sentences are found by their last characters to spot lead-ins
_ROUGH_SENTENCE_END = regex.compile(r"[।॥?!]+|\.(?=\s)")


class Line(NamedTuple):
    """A line (or sentence) as stored and its normalize() form: equal length, and every character
    of one corresponds to the character at the same position of the other (see match_form)."""

    shown: str
    match: str


def text_key(text: str) -> str:
    """Identity of normalize()d text for repeat detection: ignores quote marks, whitespace and case.

    normalize() has already turned every curly or angled quote into ' or ", so str methods
    (much faster than a regex here) are enough.
    """
    return "".join(text.casefold().replace("'", "").replace('"', "").split())


def dedupe(paragraphs: list[Line]) -> list[str]:
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
        self._unsplit: list[Line] = []
        self._by_ending: dict[str, list[str]] = {}

    def filter(self, line: Line) -> str | None:
        """The paragraph as shown without repeated sentences; None when nothing new is left."""
        paragraph = line.match
        key = text_key(paragraph)
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
                self._remember(text_key(sentence.match))
        self._unsplit.clear()

    def _remember(self, key: str) -> None:
        self._sentences.add(key)
        self._earlier.append(key)
        self._by_ending.setdefault(key[-_LEAD_IN_INDEX_CHARS:], []).append(key)

    def _is_new(self, sentence: str) -> bool:
        """False for a repeat (≥ 5 words): seen before, inside an earlier sentence, or behind a lead-in."""
        key = text_key(sentence)
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
    keys = (text_key(piece[-2 * _ENDING_CHARS :])[-_ENDING_CHARS:] for piece in pieces)
    return [key for key in keys if key]


def _words_before(tokens: list[str], key_chars: int) -> int | None:
    """How many whole tokens make up the first key_chars of their joined key (None: mid-token)."""
    length = 0
    for count, token in enumerate(tokens):
        if length == key_chars:
            return count
        if length > key_chars:
            return None
        length += len(text_key(token))
    return None


def _sentences(paragraph: Line) -> list[Line]:
    """split_sentences of the normalize() form, with punctuation-only pieces (a closing quote
    after ।) re-attached; each sentence is also cut, at the same positions, from the shown form.

    (Splitting the shown form itself could differ: an opening ‘ after । is a closing ' once
    normalised, and the split must stay the one every decision was made on.)
    """
    merged: list[Line] = []
    end = 0
    for piece in split_sentences(paragraph.match):
        # Pieces come in order, separated only by whitespace, and start with a non-space.
        start = paragraph.match.find(piece, end)
        end = start + len(piece)
        sentence = Line(paragraph.shown[start:end], piece)
        if merged and not HAS_CONTENT.search(piece):
            merged[-1] = Line(merged[-1].shown + sentence.shown, merged[-1].match + piece)
        else:
            merged.append(sentence)
    return merged
