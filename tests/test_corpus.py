"""Corpus loading and page-furniture cleaning, on the real seed scrapes and on small files in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.corpus import SUPPORTED_SUFFIXES, LoadResult, clean_text, load_corpus, parse_file
from retrieval.errors import CorpusError
from retrieval.models import Article
from retrieval.text import normalize, tidy

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "data" / "articles"
RAW_SEEDS = Path(__file__).parent / "fixtures" / "raw_seeds"

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


def raw_seed(stem: str) -> str:
    return (RAW_SEEDS / f"{stem}.txt").read_text(encoding="utf-8")


def cleaned_seed(stem: str) -> str:
    return clean_text(raw_seed(stem), SEEDS[stem][0])


def by_id(result: LoadResult) -> dict[str, Article]:
    return {a.doc_id: a for a in result.articles}


def skipped_names(result: LoadResult) -> list[str]:
    return [s.name for s in result.skipped]


def reason_for(result: LoadResult, name: str) -> str:
    return next(s.reason for s in result.skipped if s.name == name)


def jsonl(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"


# --- the shipped corpus ----------------------------------------------------------------------------


def test_data_articles_load_as_five_articles_with_seed_metadata() -> None:
    result = load_corpus(ARTICLES)
    assert result.skipped == []
    assert [a.doc_id for a in result.articles] == sorted(SEEDS)
    for article in result.articles:
        title, source, published = SEEDS[article.doc_id]
        assert article.title == (tidy(title) if title else None)
        assert article.source == (tidy(source) if source else None)
        assert article.published == published
        assert article.url is None
        assert article.origin == f"{article.doc_id}.md"
        assert article.text == cleaned_seed(article.doc_id)


@pytest.mark.parametrize("stem", sorted(SEEDS))
def test_data_articles_keep_the_raw_seed_text_after_front_matter(stem: str) -> None:
    text = (ARTICLES / f"{stem}.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front_matter_end = text.index("\n---\n", 4) + len("\n---\n")
    assert text[front_matter_end:] == raw_seed(stem)


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


def test_article_title_keeps_its_dash_and_is_still_found_in_the_body() -> None:
    stem = "000_43b20ac34654a04f"
    (article,) = parse_file(f"{stem}.md", (ARTICLES / f"{stem}.md").read_bytes()).articles
    assert article.title is not None and "–" in article.title
    assert article.title == tidy(SEEDS[stem][0] or "")
    # The title line in the body was removed although stored title and body keep their en dash.
    assert not any(normalize(p).endswith(normalize(article.title)) for p in article.text.split("\n\n"))


def test_repeated_paragraph_and_sentence_in_seed_000_appear_once() -> None:
    cleaned = normalize(cleaned_seed("000_43b20ac34654a04f"))
    assert cleaned.count(normalize("এক বছরের কম সময়ের মধ্যে এটি ছিল দুজনের মধ্যে দ্বিতীয় বৈঠক")) == 1
    assert cleaned.count(normalize("অভিন্ন শত্রুর বিরুদ্ধে রক্তক্ষয়ী লড়াই")) == 1
    assert cleaned.count(normalize("গত জুনে পিয়ংইয়ংয়ে বৈঠক করেছেন কিম জং উন ও ভ্লাদিমির পুতিন")) == 1
    assert cleaned.count(normalize("শক্তিশালী চালিকাশক্তি হিসেবে কাজ করছে")) == 1
    # The paragraph that repeated an earlier one keeps its new sentences.
    assert normalize("কিম একটি সমাধিসৌধ পরিদর্শন করেছেন") in cleaned
    assert normalize("কিম রকেট ও ক্ষেপণাস্ত্র সরবরাহ করে") in cleaned


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

BODY = "সরকার আজ নতুন একটি বাজেট ঘোষণা করেছে যাতে কৃষি খাতে বরাদ্দ আগের চেয়ে অনেক বেশি রাখা হয়েছে।"
MORE_BODY = "অর্থমন্ত্রী বলেন, এই বাজেট দেশের গ্রামীণ অর্থনীতিকে শক্তিশালী করবে এবং নতুন কর্মসংস্থান তৈরি করবে।"


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


def test_repeated_sentence_with_a_glued_caption_is_dropped() -> None:
    raw = f"{BODY} {MORE_BODY}\n\nবাজেট অধিবেশনে অর্থমন্ত্রী\u00a0 {MORE_BODY} তিনি আরও বলেন, কর কমানো হবে।"
    assert clean_text(raw) == f"{tidy(BODY)} {tidy(MORE_BODY)}\n\n{tidy('তিনি আরও বলেন, কর কমানো হবে।')}"


QUOTED = "মন্ত্রী বলেন, ‘২০২৪ সালের বাজেটে ১২ হাজার কোটি টাকা কৃষিতে যাবে।’"


def test_repeats_are_found_across_digit_scripts_and_quote_styles_and_the_first_form_is_shown() -> None:
    # The same paragraph with ASCII digits and straight quotes is a repeat; the first is kept as written.
    retyped = QUOTED.replace("‘", "'").replace("’", "'").replace("২০২৪", "2024").replace("১২", "12")
    assert retyped != QUOTED and normalize(retyped) == normalize(QUOTED)
    assert clean_text(f"{QUOTED}\n{BODY}\n{retyped}") == f"{tidy(QUOTED)}\n\n{tidy(BODY)}"
    # Also when the digits are at the end, where repeats are first looked for.
    total = "সব মিলিয়ে এ বছর কৃষি খাতে মোট বরাদ্দ দাঁড়াল ১২,৫০০"
    assert clean_text(f"{total}\n{BODY}\n{total.replace('১২,৫০০', '12,500')}") == f"{tidy(total)}\n\n{tidy(BODY)}"
    assert clean_text(f"{total}।\n{BODY} {total.replace('১২,৫০০', '12,500')}।") == f"{tidy(total)}।\n\n{tidy(BODY)}"
    # A repeated sentence inside a later paragraph goes; the sentences kept there keep their form.
    later = f"“নতুন কথা” হলো ১৫ জেলায় সেচ প্রকল্প শুরু হবে। {retyped} তিনি ৩ দফায় কথা বলেন।"
    assert clean_text(f"{QUOTED}\n{later}") == (
        f"{tidy(QUOTED)}\n\n{tidy('“নতুন কথা” হলো ১৫ জেলায় সেচ প্রকল্প শুরু হবে। তিনি ৩ দফায় কথা বলেন।')}"
    )


def test_sentences_are_split_in_normalised_form_so_a_quote_glued_to_a_danda_stays_with_it() -> None:
    # “ typed as a closing quote: normalised it is ", so the split falls after it and the next
    # sentence has four words (not a fifth token “), too short to count as a repeat.
    first = "সরকার নতুন বাজেট দিয়েছে। পনেরো জেলায় সেচ প্রকল্প।"
    second = "মন্ত্রী বলেন, “কাজ দ্রুত এগোবে।“ পনেরো জেলায় সেচ প্রকল্প।"
    assert clean_text(f"{first}\n{second}") == f"{tidy(first)}\n\n{tidy(second)}"
    # At five words it is a repeat; the quote glued to the danda stays with the sentence before.
    third = "মন্ত্রী বলেন, “কাজ দ্রুত এগোবে।“ পনেরো জেলায় নতুন সেচ প্রকল্প।"
    fourth = "সরকার জানায়, পনেরো জেলায় নতুন সেচ প্রকল্প।"
    assert clean_text(f"{fourth}\n{third}") == f"{tidy(fourth)}\n\n{tidy('মন্ত্রী বলেন, “কাজ দ্রুত এগোবে।“')}"


def test_read_more_tail_is_cut_from_the_shown_text_at_the_same_place() -> None:
    raw = f"{BODY} তিনি বলেন, “২০২৫ সালে আরও ১০ শতাংশ বাড়বে।” আরও পড়ুন: ১০টি জেলায় বন্যা"
    assert clean_text(raw) == tidy(f"{BODY} তিনি বলেন, “২০২৫ সালে আরও ১০ শতাংশ বাড়বে।”")
    assert clean_text(f"{BODY} ‘শেষ ১২ কথা’ এতে মন্তব্য প্রদান বন্ধ রয়েছে") == tidy(f"{BODY} ‘শেষ ১২ কথা’")


def test_published_line_gives_a_date_only_when_front_matter_has_none(tmp_path: Path) -> None:
    raw = raw_seed("002_63125d0b3e90fd15").encode("utf-8")
    (article,) = parse_file("scrape.txt", raw).articles
    assert article.published == "2025-10-27"
    stated = b"---\npublished: 2025-10-30\n---\n" + raw
    (article,) = parse_file("scrape.md", stated).articles
    assert article.published == "2025-10-30"
    # A page-header date is the day the page was scraped, not the publication date.
    (article,) = parse_file("header.txt", raw_seed("000_43b20ac34654a04f").encode("utf-8")).articles
    assert article.published is None


# --- JSON Lines ------------------------------------------------------------------------------------


def test_jsonl_loads_good_lines_and_skips_each_bad_one_by_line(tmp_path: Path) -> None:
    (tmp_path / "feed.jsonl").write_text(
        jsonl(
            {"id": "a", "title": "শিরোনাম ১", "text": BODY, "source": "প্রথম আলো", "url": "https://x.example/a",
             "published": "2024-01-02"},
            '{"id": "b", "text": ',
            "",
            {"id": "c", "title": "no text"},
            {"id": 5, "text": BODY},
            {"id": "d", "text": ["a list"]},
            {"id": "e", "text": BODY, "title": 3},
            [1, 2],
            {"id": "f", "text": BODY, "published": "2024-13-01"},
            {"id": "g", "text": "[ad_1]\nSource link"},
            {"id": "h", "text": MORE_BODY, "title": None, "source": None, "url": None, "published": None},
        ),
        encoding="utf-8",
    )
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["a", "h"]
    assert skipped_names(result) == [f"feed.jsonl:{n}" for n in (2, 4, 5, 6, 7, 8, 9, 10)]
    assert "invalid JSON" in reason_for(result, "feed.jsonl:2")
    assert "'text'" in reason_for(result, "feed.jsonl:4")
    assert "'id'" in reason_for(result, "feed.jsonl:5")
    assert "'text'" in reason_for(result, "feed.jsonl:6")
    assert "'title'" in reason_for(result, "feed.jsonl:7")
    assert "object" in reason_for(result, "feed.jsonl:8")
    assert "YYYY-MM-DD" in reason_for(result, "feed.jsonl:9")
    assert "no article text" in reason_for(result, "feed.jsonl:10")
    a = by_id(result)["a"]
    assert (a.title, a.source, a.url, a.published, a.origin) == (
        "শিরোনাম ১",
        tidy("প্রথম আলো"),
        "https://x.example/a",
        "2024-01-02",
        "feed.jsonl",
    )
    assert a.text == tidy(BODY)


# --- front matter ----------------------------------------------------------------------------------


def test_front_matter_values_quotes_nulls_unknown_keys_and_id(tmp_path: Path) -> None:
    (tmp_path / "budget.md").write_text(
        "---\n"
        'title: "বাজেট: কৃষিতে বরাদ্দ বাড়ল"\n'
        "source: 'দৈনিক খবর'\n"
        "url: ~\n"
        "published: 2024-06-06\n"
        "author: কেউ একজন\n"
        "id: budget-2024\n"
        "---\n"
        f"{BODY}\n",
        encoding="utf-8",
    )
    (tmp_path / "plain.txt").write_text(f"{BODY}\n", encoding="utf-8")
    (tmp_path / "nulls.md").write_text(f"---\ntitle: null\nsource:\nurl: ''\n---\n{BODY}\n", encoding="utf-8")
    result = load_corpus(tmp_path)
    assert result.skipped == []
    articles = by_id(result)
    budget = articles["budget-2024"]
    assert (budget.title, budget.source, budget.url, budget.published, budget.origin) == (
        tidy("বাজেট: কৃষিতে বরাদ্দ বাড়ল"),
        tidy("দৈনিক খবর"),
        None,
        "2024-06-06",
        "budget.md",
    )
    assert articles["plain"].title is None and articles["plain"].text == tidy(BODY)
    nulls = articles["nulls"]
    assert (nulls.title, nulls.source, nulls.url, nulls.published) == (None, None, None, None)


def test_malformed_front_matter_is_skipped_with_a_reason_while_other_files_load(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(f"---\ntitle: ভালো\n---\n{BODY}\n", encoding="utf-8")
    (tmp_path / "no_close.md").write_text(f"---\ntitle: খোলা\n{BODY}\n", encoding="utf-8")
    (tmp_path / "bad_line.md").write_text(f"---\ntitle: ঠিক\nএটা কোনো কী নয়\n---\n{BODY}\n", encoding="utf-8")
    (tmp_path / "bad_date.txt").write_text(f"---\npublished: 16/08/2024\n---\n{BODY}\n", encoding="utf-8")
    (tmp_path / "bad_day.md").write_text(f"---\npublished: 2024-02-30\n---\n{BODY}\n", encoding="utf-8")
    (tmp_path / "open_quote.md").write_text(f'---\ntitle: "খোলা উদ্ধৃতি\n---\n{BODY}\n', encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert sorted(skipped_names(result)) == [
        "bad_date.txt", "bad_day.md", "bad_line.md", "no_close.md", "open_quote.md"
    ]
    assert "closing '---'" in reason_for(result, "no_close.md")
    assert "key: value" in reason_for(result, "bad_line.md")
    assert "YYYY-MM-DD" in reason_for(result, "bad_date.txt")
    assert "YYYY-MM-DD" in reason_for(result, "bad_day.md")
    assert "quoted" in reason_for(result, "open_quote.md")


# --- unusable files, duplicates, directory rules ---------------------------------------------------


def test_non_utf8_empty_and_furniture_only_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("café crème".encode("latin-1"))
    (tmp_path / "utf16.md").write_bytes(BODY.encode("utf-16"))
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "blank.jsonl").write_bytes(b"\n  \n")
    (tmp_path / "furniture.txt").write_text("[ad_1]\nSource link\nআপনার মতামত লিখুন :\n", encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["good"]
    assert "UTF-8" in reason_for(result, "latin1.txt")
    assert "UTF-8" in reason_for(result, "utf16.md")
    assert "empty" in reason_for(result, "empty.md")
    assert "empty" in reason_for(result, "blank.jsonl")
    assert "no article text" in reason_for(result, "furniture.txt")


def test_duplicate_ids_keep_the_first_and_name_it(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"---\nid: shared\n---\n{BODY}\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        jsonl({"id": "shared", "text": MORE_BODY}, {"id": "x", "text": BODY}, {"id": "x", "text": MORE_BODY}),
        encoding="utf-8",
    )
    (tmp_path / "shared.txt").write_text(MORE_BODY, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [(a.doc_id, a.origin) for a in result.articles] == [("shared", "a.md"), ("x", "b.jsonl")]
    assert by_id(result)["x"].text == tidy(BODY)
    assert skipped_names(result) == ["b.jsonl:1", "b.jsonl:3", "shared.txt"]
    assert "'shared'" in reason_for(result, "b.jsonl:1") and "a.md" in reason_for(result, "b.jsonl:1")
    assert "b.jsonl:2" in reason_for(result, "b.jsonl:3")
    assert "a.md" in reason_for(result, "shared.txt")


def test_only_supported_files_directly_in_the_directory_load_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "a.MD").write_text(MORE_BODY, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(jsonl({"id": "c1", "text": BODY}), encoding="utf-8")
    (tmp_path / ".hidden.md").write_text(BODY, encoding="utf-8")
    (tmp_path / ".upload-tmp123").write_bytes(b"\xff")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4 \xff\xfe")
    (tmp_path / "README").write_text("notes", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "dir.md").mkdir()
    result = load_corpus(tmp_path)
    assert [a.doc_id for a in result.articles] == ["a", "b", "c1"]
    assert result.skipped == []
    assert SUPPORTED_SUFFIXES == (".md", ".txt", ".jsonl")


def test_missing_corpus_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nowhere")


def test_parse_file_checks_bytes_without_touching_disk(tmp_path: Path) -> None:
    md = f"\ufeff---\ntitle: আপলোড\n---\n{BODY}\n".encode("utf-8")
    result = parse_file("upload.md", md)
    assert result.skipped == [] and [(a.doc_id, a.title, a.origin) for a in result.articles] == [
        ("upload", "আপলোড", "upload.md")
    ]
    mixed = jsonl({"id": "1", "text": BODY}, "not json", {"id": "1", "text": MORE_BODY}).encode("utf-8")
    result = parse_file("batch.jsonl", mixed)
    assert [a.doc_id for a in result.articles] == ["1"]
    assert skipped_names(result) == ["batch.jsonl:2", "batch.jsonl:3"]
    # CRLF line ends, and a raw U+2028 inside a JSON string, do not break records apart.
    crlf = (json.dumps({"id": "u", "text": f"{BODY}\u2028{MORE_BODY}"}, ensure_ascii=False) + "\r\n").encode()
    crlf += b'{"id": "v", "text": "  "}\r\n'
    result = parse_file("crlf.jsonl", crlf)
    assert [a.text for a in result.articles] == [f"{tidy(BODY)}\n\n{tidy(MORE_BODY)}"]
    assert skipped_names(result) == ["crlf.jsonl:2"] and "empty" in reason_for(result, "crlf.jsonl:2")
    result = parse_file("scan.pdf", b"%PDF")
    assert result.articles == [] and "unsupported" in reason_for(result, "scan.pdf")
    assert parse_file("bad.txt", b"\xc3\x28").skipped[0].name == "bad.txt"
    assert list(tmp_path.iterdir()) == []
