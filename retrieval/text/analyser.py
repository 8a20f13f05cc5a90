"""The one Bengali text analyser: normalisation, sentence splitting and tokens, for index and query alike.

Traps handled, each measured on 1,675 Bengali news passages and 8,027 questions (bn-news-qa): nukta
letters in two encodings (য় precomposed 3,152 times and decomposed 31,648 times in the passages;
unnormalised BM25 lost 2.5-3.6 points of Recall@1), invisible characters (ZWNJ, ZWJ, ZWSP, soft hyphen,
BOM), vowel-sign order, Bengali vs ASCII digits (passages use Bengali digits, users type either),
dandas glued to the next word (16% of them), and Python's `re` `\\w` splitting words at vowel signs
(BM25 Recall@1 fell from 0.885 to 0.616 with it; we use the `regex` module's classes).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import cast

import regex

# Canonical form: NFC, which *decomposes* the nukta letters য় ড় ঢ় into base + U+09BC.
# NFC is stable, so any text that went through normalize() compares equal byte for byte.
_REMOVE = dict.fromkeys(map(ord, "\u200c\u200d\u200b\u2060\u00ad\ufeff\u200e\u200f"), None)
_TIDY = {
    0x00A0: " ",  # NBSP
    0x202F: " ",
    0x09F7: "\u0964",  # Bengali currency numerator four, typed as a danda
}
_MATCH = {
    0x2013: "-",
    0x2014: "-",
    0x2012: "-",
    0x2212: "-",  # dashes
    0x2018: "'",
    0x2019: "'",
    0x201A: "'",
    0x201B: "'",  # single quotes
    0x201C: '"',
    0x201D: '"',
    0x201E: '"',
    0x00AB: '"',
    0x00BB: '"',  # double quotes
    **{0x09E6 + i: str(i) for i in range(10)},  # Bengali digits -> ASCII
}
# One translate pass each. The tables share no keys and no value is another table's key; _MATCH's
# characters have no decomposition and compose with nothing, so mapping them before NFC (and the
# regexes below, which never touch them) gives exactly tidy(text).translate(_MATCH).
_TIDY_PASS = {**_REMOVE, **_TIDY}
_NORMALIZE_PASS = {**_TIDY_PASS, **_MATCH}


def _translator(table: Mapping[int, str | None]) -> Callable[[str], str]:
    """`text.translate(table)`, fast: str.translate looks up every character of Bengali text in
    the dict, so only the runs of the table's own characters are handed to it."""
    runs = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(table)) + "]+")
    return lambda text: runs.sub(lambda m: m.group().translate(table), text)


_tidy_pass = _translator(_TIDY_PASS)
_normalize_pass = _translator(_NORMALIZE_PASS)
_match_pass = _translator(_MATCH)
_KHANDA_TA = regex.compile("\u09a4\u09cd\u200d")  # ত + ্ + ZWJ is the old way to write ৎ
_A_PLUS_AA = regex.compile("\u0985\u09be")  # অ + া -> আ
_SPACES = regex.compile(r"[ \t\r\f\v]+")
_CLOSERS = "'\")\\]\u2019\u201d\u00bb"
_SENTENCE_END = regex.compile(rf"(?<=[।॥?!]+[{_CLOSERS}]*)(?![{_CLOSERS}])\s*|(?<=[.][{_CLOSERS}]*)\s+|\n+")
_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+")


def tidy(text: str) -> str:
    """Canonical text for storing and showing: one encoding per letter, no invisible characters,
    but the writer's own digits, quotes and dashes."""
    return _canonical(text, _tidy_pass)


def normalize(text: str) -> str:
    """Canonical text for matching: tidy(), plus ASCII digits and plain quotes and dashes."""
    return _canonical(text, _normalize_pass)


def match_form(tidied: str) -> str:
    """normalize() of text that is already in tidy() form, in one pass; positions stay the same
    (every mapped character becomes exactly one character), so spans found in the result can be
    cut from the tidied text."""
    return _match_pass(tidied)


def _canonical(text: str, translate: Callable[[str], str]) -> str:
    # The `in` tests only skip substitutions that could not change anything.
    if "\u09a4\u09cd\u200d" in text:
        text = _KHANDA_TA.sub("\u09ce", text)
    text = unicodedata.normalize("NFC", translate(text))
    if "\u0985\u09be" in text:
        text = _A_PLUS_AA.sub("\u0986", text)
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of normalised text: split after । ॥ ? ! (even when glued to the next word),
    after a full stop followed by space, and at line breaks."""
    parts = _SENTENCE_END.split(text)
    return [p.strip() for p in parts if p and p.strip()]


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end (closing quotes included): where text may be cut.

    The same boundaries split_sentences() splits at, so a cut never falls inside a sentence
    the analyser sees as one."""
    return sorted({m.start() for m in _SENTENCE_END.finditer(text) if m.start() > 0})


def words(text: str) -> list[str]:
    """Word tokens of normalised text, keeping vowel signs and virama inside words."""
    return cast(list[str], _TOKEN.findall(text.lower()))


# --- tokens for matching -------------------------------------------------------------------------

# Folding that the measured variants justify: ী→ি, ূ→ু, drop chandrabindu. Nothing more.
_FOLD = str.maketrans({"\u09c0": "\u09bf", "\u09c2": "\u09c1", "\u0981": None})

# Light stemmer: one suffix, longest first, leaving at least two code points (Lucene's rule).
# Written plainly and normalised at import so the list matches normalised text byte for byte.
_RAW_SUFFIXES = """
গুলোকে গুলোতে গুলোর গুলিকে গুলির গুলিতে গুলো গুলি দেরকে দের টিকে টিতে টির টাকে টার টি টা খানা খানি
েছিলেন েছিলাম েছিল েছেন েছে িয়েছেন িয়েছে য়েছেন য়েছে ছিলেন ছিলাম ছিল ছেন ছে লেন ল াবে বেন বে েন
য়ের য়ে য় ের কে তে রা র ে ও ই
"""
STOPWORDS_RAW = """
কী কি কে কোন কোনো কোথায় কবে কত কতজন কতটি কতগুলো কেন কীভাবে কিভাবে কারা কার কাকে কাদের কিসের কীসের কিসে কেমন
এবং ও বা আর যে সে এ এই ওই সেই তা তার তাদের তিনি তারা হয় হয়েছে হয়েছিল হবে ছিল ছিলেন করে করেন করেছে করেছেন
বলে বলেন বলেছেন জানিয়েছে জন্য থেকে সঙ্গে সাথে মধ্যে দিয়ে নিয়ে পর আগে না নয় হলে হিসেবে
"""


# The vowel letter ও after a consonant is the older spelling of the sign ো: কোনও/কোনো, আরও/আরো.
_O_AFTER_CONSONANT = regex.compile("(?<=[\u0995-\u09b9\u09ce\u09dc-\u09df]\u09bc?)\u0993")


def fold(token: str) -> str:
    """Fold spelling variants that are safe to merge (measured on bn-news-qa)."""
    return cast(str, _O_AFTER_CONSONANT.sub("\u09cb", token.translate(_FOLD)))


_SUFFIXES = sorted({fold(normalize(s)) for s in _RAW_SUFFIXES.split()}, key=len, reverse=True)
STOPWORDS = frozenset(fold(normalize(w)) for w in STOPWORDS_RAW.split())


@functools.lru_cache(maxsize=500_000)
def stem(token: str) -> str:
    """Strip one inflectional suffix, longest first, keeping at least two code points.

    Cached: a corpus has far fewer distinct words than word occurrences."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            return token[: -len(suffix)]
    return token


def terms(text: str) -> list[str]:
    """Folded surface words of raw text: what the index and the query both see."""
    return [fold(w) for w in words(normalize(text))]


def index_tokens(word_list: list[str]) -> list[str]:
    """Surface form plus a marked stem for every word, so exact and inflected matches both count."""
    out: list[str] = []
    for w in word_list:
        out.append(w)
        out.append("~" + stem(w))
    return out


def content_terms(word_list: list[str]) -> list[str]:
    """Words that carry meaning: used to decide whether a question asks about anything at all."""
    return [w for w in word_list if w not in STOPWORDS]
