"""Page-furniture cleaning (`clean_text`, rules 1-4) on the real seed scrapes and on small made-up articles."""

from __future__ import annotations

import pytest

from retrieval.text.analyser import normalize, tidy
from retrieval.text.furniture import clean_text
from tests.support.seeds import BODY, MORE_BODY, SEEDS, cleaned_seed

# Page furniture in the seeds (and other stories' headlines after a copyright line).
FURNITURE = [
    "[ad_",
    "Source link",
    "আরও পড়ুন",
    "Copyright",
    "উলিপুর",
    "লক্ষ্মীপুর",
    "আপনার মতামত",
    "সবচেয়ে জনপ্রিয়",
    "সাম্প্রতিক মন্তব্য",
    "Monday, September",
    "সান নিউজ/এমআর",
]


# --- cleaning the raw seeds ------------------------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_cleaned_seed_has_no_page_furniture(stem: str) -> None:
    cleaned = cleaned_seed(stem)
    left = [p for p in FURNITURE if p in cleaned or normalize(p) in normalize(cleaned)]
    assert left == []


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_cleaned_seed_is_tidy_paragraphs(stem: str) -> None:
    paragraphs = cleaned_seed(stem).split("\n\n")
    assert len(paragraphs) >= 3
    for paragraph in paragraphs:
        assert paragraph and "\n" not in paragraph
        assert paragraph == tidy(paragraph)


@pytest.mark.parametrize(
    ("stem", "shown", "not_shown"),
    [
        ("003_1606ac5bd632e0c6", "২১ হাজার ৮৬৩", "21 হাজার 863"),
        ("003_1606ac5bd632e0c6", "৪৪০০-৪৭৯৫", "4400-4795"),
        ("000_43b20ac34654a04f", "‘সমন্বিত কৌশলগত অংশীদারত্ব’", "'সমন্বিত কৌশলগত অংশীদারত্ব'"),
        ("000_43b20ac34654a04f", "স্যন্দন ডিজিটেল ডেস্ক, ১৬ আগস্ট", "16 আগস্ট"),
        ("001_754700fe34abee96", "‘হতাশা এবং ক্ষোভ’", "'হতাশা এবং ক্ষোভ'"),
        ("002_63125d0b3e90fd15", "“বর্ধিত দুর্ভোগ, দমন ও ভয়”", '"বর্ধিত দুর্ভোগ, দমন ও ভয়"'),
    ],
)
def test_cleaned_seed_keeps_the_writers_digits_and_quotes(stem: str, shown: str, not_shown: str) -> None:
    cleaned = cleaned_seed(stem)
    assert tidy(shown) in cleaned
    assert tidy(not_shown) not in cleaned


@pytest.mark.parametrize(
    ("stem", "content"),
    [
        ("000_43b20ac34654a04f", "কৌশলগত অংশীদারত্ব"),
        ("000_43b20ac34654a04f", "স্যন্দন ডিজিটেল ডেস্ক, ১৬ আগস্ট"),
        ("001_754700fe34abee96", "কৌশলগত সংলাপ"),
        ("001_754700fe34abee96", "‘হতাশা এবং ক্ষোভ’ রুশ পক্ষের সঙ্গে ভাগাভাগি করেছেন"),
        ("002_63125d0b3e90fd15", "'ঘনিষ্ঠ কমরেড'"),
        ("002_63125d0b3e90fd15", "“ঘনিষ্ঠ কমরেড”"),
        ("002_63125d0b3e90fd15", "বাণিজ্য ও পর্যটন"),
        ("002_63125d0b3e90fd15", "“বর্ধিত দুর্ভোগ, দমন ও ভয়” দ্বারা চিহ্নিত করা হয়েছে"),
        ("003_1606ac5bd632e0c6", "৪৪০০-৪৭৯৫"),
        ("003_1606ac5bd632e0c6", "সম্পর্কের পুনর্নির্মাণে পুতিনের সফর"),
        ("003_1606ac5bd632e0c6", "সূত্র: আল জাজিরা, রয়টার্স, নিউইয়র্ক টাইমস"),
        ("004_929bea25c59513b1", "দ্বিপাক্ষিক সম্পর্ক জোরদার"),
        ("004_929bea25c59513b1", "সহযোগিতা বৃদ্ধি পাবে বলে আশা প্রকাশ করেছিলেন কিম"),
    ],
)
def test_cleaning_keeps_real_content(stem: str, content: str) -> None:
    assert tidy(content) in cleaned_seed(stem)


@pytest.mark.parametrize("stem", ["000_43b20ac34654a04f", "004_929bea25c59513b1"])
def test_title_and_breadcrumb_lines_are_dropped(stem: str) -> None:
    title = normalize(SEEDS[stem][0] or "")
    paragraphs = [normalize(p) for p in cleaned_seed(stem).split("\n\n")]
    assert not any(p.endswith(title) for p in paragraphs)
    assert "আন্তর্জাতিক" not in paragraphs  # single-word section label


# --- cleaning rules on articles the seeds do not contain ------------------------------------------


def test_sidebar_heading_ends_the_article_only_when_no_body_follows() -> None:
    trailing = clean_text(f"{BODY}\n\nসর্বাধিক পঠিত\n\nঅন্য খবরের শিরোনাম\n\nআরেকটি শিরোনাম এখানে...")
    assert trailing == tidy(BODY)
    in_body = clean_text(f"{BODY}\nMost read\n{MORE_BODY}")
    assert in_body == f"{tidy(BODY)}\n\n{tidy(MORE_BODY)}"


def test_copyright_line_drops_everything_after_it() -> None:
    cleaned = clean_text(f"{BODY}\n© 2024 দৈনিক খবর। সর্বস্বত্ব সংরক্ষিত\n{MORE_BODY}")
    assert cleaned == tidy(BODY)
    assert clean_text(f"{BODY}\nAll rights reserved by Example News\n{MORE_BODY}") == tidy(BODY)


def test_link_prompt_byline_and_date_lines_are_dropped() -> None:
    raw = "\n".join(
        [
            "Tuesday, 3 June 2025",
            "প্রকাশ: ০৩ জুন ২০২৫, ১০:৩০",
            BODY,
            "আরো পড়ুন- অন্য একটি খবর",
            "Read more: another story",
            "Also read: one more story",
            MORE_BODY,
            "ঢাকা পোস্ট/এসএ",
            "Leave a comment",
        ]
    )
    assert clean_text(raw) == f"{tidy(BODY)}\n\n{tidy(MORE_BODY)}"


def test_subheadings_stay_and_short_repeats_are_not_deduplicated() -> None:
    raw = f"বাজেটের মূল দিক\n{BODY}\nচলবে ১৬ মে পর্যন্ত।\nকৃষি\nচলবে ১৬ মে পর্যন্ত।"
    paragraphs = clean_text(raw).split("\n\n")
    assert paragraphs == [
        tidy("বাজেটের মূল দিক"),
        tidy(BODY),
        tidy("চলবে ১৬ মে পর্যন্ত।"),
        tidy("চলবে ১৬ মে পর্যন্ত।"),
    ]


def test_read_more_tail_is_cut_from_the_shown_text_at_the_same_place() -> None:
    raw = f"{BODY} তিনি বলেন, “২০২৫ সালে আরও ১০ শতাংশ বাড়বে।” আরও পড়ুন: ১০টি জেলায় বন্যা"
    assert clean_text(raw) == tidy(f"{BODY} তিনি বলেন, “২০২৫ সালে আরও ১০ শতাংশ বাড়বে।”")
    assert clean_text(f"{BODY} ‘শেষ ১২ কথা’ এতে মন্তব্য প্রদান বন্ধ রয়েছে") == tidy(f"{BODY} ‘শেষ ১২ কথা’")
