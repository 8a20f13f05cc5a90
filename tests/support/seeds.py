"""The seed articles' raw scrapes and what their own text states, shared by the corpus and cleaning tests."""

from __future__ import annotations

from retrieval.text.furniture import clean_text
from tests.support.paths import FIXTURES, REPO

ARTICLES = REPO / "data" / "articles"
RAW_SEEDS = FIXTURES / "raw_seeds"

# What each seed's own text states about it (from the seed metadata): title, source, published.
SEEDS: dict[str, tuple[str | None, str | None, str | None]] = {
    "000_43b20ac34654a04f": (
        "উত্তর কোরিয়া–রাশিয়া সম্পর্ক আরও গভীর করার অঙ্গীকার কিম ও পুতিনের",
        "স্যন্দন ডিজিটেল ডেস্ক",
        "2024-08-16",
    ),
    "001_754700fe34abee96": (None, None, None),
    "002_63125d0b3e90fd15": (None, None, "2025-10-27"),
    "003_1606ac5bd632e0c6": (None, "আল জাজিরা, রয়টার্স, নিউইয়র্ক টাইমস", "2024-06-19"),
    "004_929bea25c59513b1": ("কিমকে পুতিনের চিঠি", "সান নিউজ (Sunnews24x7)", "2022-08-15"),
}

# Articles the seeds do not contain are built from these two body paragraphs.
BODY = "সরকার আজ নতুন একটি বাজেট ঘোষণা করেছে যাতে কৃষি খাতে বরাদ্দ আগের চেয়ে অনেক বেশি রাখা হয়েছে।"
MORE_BODY = "অর্থমন্ত্রী বলেন, এই বাজেট দেশের গ্রামীণ অর্থনীতিকে শক্তিশালী করবে এবং নতুন কর্মসংস্থান তৈরি করবে।"


def raw_seed(stem: str) -> str:
    return (RAW_SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def cleaned_seed(stem: str) -> str:
    return clean_text(raw_seed(stem), SEEDS[stem][0])
