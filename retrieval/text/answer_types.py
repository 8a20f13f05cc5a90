"""What kind of answer a question asks for, and whether a passage or a sentence holds one.

"কবে / কোন দিন / কত সালে" (when) wants a date, "কত / কতজন" (how many) a number, "কে / কারা / কোন
সংস্থা" (who) a name, "কোথায়" (where) a place; the same in English and in romanised Bengali. The
retriever prefers passages holding that kind of thing, and highlights the sentence that holds it.

Dates and numbers are recognised reliably (digits in either script, month names in every spelling,
weekdays, number words such as হাজার / লাখ / কোটি). Names and places are recognised by the words
that stand beside them in news text (a title such as প্রেসিডেন্ট, an organisation word such as
বাহিনী / মন্ত্রণালয়, a place word such as জেলা / শহর / রাজধানী, a country); without a tagger
that is a weaker signal, and the ranking weighs it less (see tuning).
"""

from __future__ import annotations

import functools
from typing import Literal

import regex

from retrieval.text.analyser import fold, normalize, stem, words
from retrieval.text.dates import DAY_NAMES, MONTHS

AnswerType = Literal["date", "number", "name", "place"]


def _folded(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in words(normalize(text)))


def _phrases(raw: str) -> tuple[tuple[str, ...], ...]:
    """One phrase a line, as folded words, longest first (so "কত সালে" is tried before "কত")."""
    phrases = [tuple(fold(w) for w in words(normalize(line))) for line in raw.strip().splitlines() if line.strip()]
    return tuple(sorted(phrases, key=len, reverse=True))


# Question phrases, checked in this order: the first that the question holds decides.
_ASKS: tuple[tuple[AnswerType, tuple[tuple[str, ...], ...]], ...] = (
    (
        "date",
        _phrases("""
কবে
কখন
কোন দিন
কোন দিনে
কোন তারিখে
কোন তারিখ
কত তারিখে
কত সালে
কোন সালে
কোন মাসে
কত সালের
when
what date
what year
which year
which day
what day
kobe
kokhon
kon din
kon tarikhe
koto sale
kon sale
"""),
    ),
    (
        "number",
        _phrases("""
কত
কতজন
কতটি
কতগুলো
কতগুলি
কয়টি
কয়জন
কতটা
কতখানি
কত টাকা
how many
how much
what percentage
what number
koto
kotojon
kototi
koyjon
koyta
"""),
    ),
    (
        "place",
        _phrases("""
কোথায়
কোথায়
কোন দেশে
কোন দেশের
কোন শহরে
কোন জেলায়
কোন স্থানে
কোন জায়গায়
where
which country
which city
kothay
kothai
kon deshe
"""),
    ),
    (
        "name",
        _phrases("""
কে
কারা
কার
কাকে
কাদের
কোন সংস্থা
কোন দল
কোন বাহিনী
কোন প্রতিষ্ঠান
কোন সংবাদমাধ্যম
who
whom
whose
which organisation
which organization
which party
ke
kara
kake
kader
"""),
    ),
)

_NUMBER_WORDS = _folded("হাজার লাখ লক্ষ কোটি শত শতাংশ শতকরা million billion thousand hundred percent")
_YEAR_WORDS = _folded("সাল সালে সালের খ্রিস্টাব্দ খ্রিস্টাব্দে তারিখ তারিখে")
_NAME_WORDS = _folded(
    """প্রেসিডেন্ট রাষ্ট্রপতি প্রধানমন্ত্রী মন্ত্রী পররাষ্ট্রমন্ত্রী প্রতিরক্ষামন্ত্রী নেতা মুখপাত্র চেয়ারম্যান
    মহাসচিব সচিব গভর্নর মেয়র বিচারপতি উপাচার্য অধিনায়ক সংস্থা বাহিনী মন্ত্রণালয় কমিশন দপ্তর অধিদপ্তর
    ব্যাংক বিশ্ববিদ্যালয় পার্টি দল সরকার আদালত পুলিশ সংবাদ সংস্থা এজেন্সি president minister spokesman"""
)
_PLACE_WORDS = _folded(
    """জেলা জেলায় উপজেলা উপজেলায় শহর শহরে রাজধানী রাজধানীতে নগরী নগরে প্রদেশ প্রদেশে অঞ্চল অঞ্চলে দেশ দেশে
    নদী সীমান্ত বন্দর বন্দরে গ্রাম গ্রামে ইউনিয়ন ঢাকা ঢাকায় চট্টগ্রাম রাজশাহী খুলনা সিলেট বরিশাল রংপুর ময়মনসিংহ
    রাশিয়া রাশিয়ায় ইউক্রেন ইউক্রেনে কোরিয়া কোরিয়ায় পিয়ংইয়ং পিয়ংইয়ংয়ে মস্কো মস্কোতে ওয়াশিংটন চীন চীনে
    ভারত ভারতে পাকিস্তান যুক্তরাষ্ট্র যুক্তরাষ্ট্রে যুক্তরাজ্য জাপান ইরান ইসরায়েল ফিলিস্তিন গাজা কুরস্ক"""
)
_DIGITS = regex.compile(r"\d")
_LATIN_NAME = regex.compile(r"(?<![.!?।]\s)\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+")


def expected_type(question: str) -> AnswerType | None:
    """The kind of answer the question asks for, or None when it asks for none in particular
    (why / how / what is said...)."""
    tokens = [fold(w) for w in words(normalize(question))]
    for answer_type, phrases in _ASKS:
        if any(_holds_phrase(tokens, phrase) for phrase in phrases):
            return answer_type
    return None


def _holds_phrase(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == phrase for i in range(len(tokens) - n + 1))


@functools.lru_cache(maxsize=50_000)
def holds(text: str, answer_type: AnswerType) -> bool:
    """Whether a passage or sentence (any form of text) holds something of that kind."""
    normalised = normalize(text)
    tokens = [fold(w) for w in words(normalised)]
    stems = {stem(t) for t in tokens} | set(tokens)
    if answer_type == "date":
        return _holds_date(tokens, stems)
    if answer_type == "number":
        return bool(_DIGITS.search(normalised)) or not _NUMBER_WORDS.isdisjoint(stems)
    if answer_type == "name":
        return not _NAME_WORDS.isdisjoint(stems) or bool(_LATIN_NAME.search(text))
    return not _PLACE_WORDS.isdisjoint(stems)


def _holds_date(tokens: list[str], stems: set[str]) -> bool:
    """A weekday, a Bengali month name, an English one beside a number, or a year with সাল / খ্রিস্টাব্দ."""
    if not stems.isdisjoint(DAY_NAMES):
        return True
    has_number = any(t.isdigit() for t in tokens)
    if any(s in MONTHS and (not s.isascii() or has_number) for s in stems):
        return True
    years = [t for t in tokens if t.isdigit() and len(t) == 4 and t[:2] in ("19", "20")]
    return bool(years) and not _YEAR_WORDS.isdisjoint(stems)
