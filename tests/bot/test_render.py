"""Rendering hits to Telegram HTML: escaping, bold highlight, cut points, the 4096 limit."""

from __future__ import annotations

import dataclasses

import pytest
import regex

from bot import render
from bot.messages.bengali import BN
from bot.messages.english import EN
from retrieval.records import ArticleInfo, Citation, Hit
from tests.support.fake_bot_api import parse_html

SENTENCE = 'এটি একটি দীর্ঘ বাক্য, যেখানে <script> & "উদ্ধৃতি" আছে। '


def hit(text: str, highlight: str, rank: int = 1, **kw: str | None) -> Hit:
    """A hit with every citation field set, unless `kw` says otherwise (title=None...)."""
    fields = {
        "title": "শিরোনাম <i>",
        "source": "সংবাদ & কোং",
        "url": "https://example.com/a?b=1&c=2",
        "published": "2024-03-12",
        **kw,
    }
    return Hit(
        rank,
        1.0,
        f"d#{rank}",
        "d",
        text,
        highlight,
        title=fields["title"],
        source=fields["source"],
        url=fields["url"],
        published=fields["published"],
    )


def bold_runs(html: str) -> list[str]:
    text, entities = parse_html(html)
    data = text.encode("utf-16-le")
    return [
        data[e["offset"] * 2 : (e["offset"] + e["length"]) * 2].decode("utf-16-le")
        for e in entities
        if e["type"] == "bold"
    ]


def test_passage_with_bold_highlight_and_escaped_text() -> None:
    best = "মূল বাক্য <b>এখানে</b> & শেষ।"
    h = hit("শুরুর বাক্য। " + best + " শেষের বাক্য।", best)
    html = render.answer_page("প্রশ্ন <x>?", [h], 0, 3)
    text, entities = parse_html(html)  # valid Telegram HTML, or this raises
    assert best in bold_runs(html)
    assert "শিরোনাম <i>" in text and "সংবাদ & কোং" in text and "প্রশ্ন <x>?" in text
    assert "১২ মার্চ ২০২৪" in text
    links = [e for e in entities if e["type"] == "text_link"]
    assert links and links[0]["url"] == "https://example.com/a?b=1&c=2"


UNTITLED_PASSAGE = "বুধবার পিয়ংইয়ংয়ে স্বাক্ষরিত এই চুক্তিকে একটি জোট বলে অভিহিত করেছেন কিম। পরের বাক্য এখানে।"


def header_runs(html: str) -> list[str]:
    """The bold result headers ("১. …"), not the highlights."""
    return [run for run in bold_runs(html) if regex.match(r"^[০-৯]+\. ", run)]


def test_untitled_result_is_headed_by_outlet_and_date_not_by_its_own_opening_words() -> None:
    highlight = UNTITLED_PASSAGE.split("। ")[0] + "।"
    h = hit(UNTITLED_PASSAGE, highlight, title=None, source="আল জাজিরা")
    html = render.answer_page("q", [h], 0, 3)
    text, _ = parse_html(html)
    assert header_runs(html) == ["১. আল জাজিরা · ১২ মার্চ ২০২৪"]
    assert text.count("বুধবার পিয়ংইয়ংয়ে") == 1  # the passage's opening words appear once, in the passage
    assert text.count("আল জাজিরা") == 1  # the outlet heads the result instead of a citation line under it
    assert highlight in bold_runs(html)


def test_result_with_no_title_outlet_or_date_is_an_untitled_report() -> None:
    h = hit(UNTITLED_PASSAGE, "", title=None, source=None, url=None, published=None)
    html = render.answer_page("q", [h], 0, 3)
    text, entities = parse_html(html)
    assert header_runs(html) == ["১. শিরোনামহীন প্রতিবেদন"]
    assert text.count("বুধবার পিয়ংইয়ংয়ে") == 1
    assert not [e for e in entities if e["type"] in ("text_link", "italic")]
    assert "🔗" not in text
    assert render.headline(h, EN) == "Untitled report"


def test_titled_result_keeps_its_title_and_citation_line() -> None:
    html = render.answer_page("q", [hit(UNTITLED_PASSAGE, "")], 0, 3)
    text, _ = parse_html(html)
    assert header_runs(html) == ["১. শিরোনাম <i>"]
    assert "সংবাদ & কোং · ১২ মার্চ ২০২৪" in text


def test_non_web_links_are_not_rendered() -> None:
    html = render.answer_page("q", [hit("বাক্য।", "বাক্য।", url="javascript:alert(1)")], 0, 3)
    assert "javascript" not in html


@pytest.mark.parametrize("count", [1, 3, 10])
def test_long_passages_are_trimmed_to_fit_4096(count: int) -> None:
    long_text = SENTENCE * 300
    long_url = "https://e.com/" + "x" * 900
    hits = [hit(long_text, SENTENCE.strip(), rank=i + 1, title="শ" * 500, url=long_url) for i in range(count)]
    html = render.answer_page("প্রশ্ন", hits, 0, count)
    assert render.tg_len(html) <= 4096
    text, _ = parse_html(html)
    assert len(text) <= 4096
    assert SENTENCE.strip() in bold_runs(html)


def test_emoji_count_double_toward_the_limit() -> None:
    text = "😀 " * 3000 + "শেষ।"
    html = render.answer_page("q", [hit(text, "শেষ।")], 0, 3)
    assert render.tg_len(html) <= 4096


def test_cuts_fall_on_sentence_or_word_boundaries() -> None:
    text = "প্রথম বাক্যটি এখানে। দ্বিতীয় বাক্যটি আরও লম্বা এবং এখানে শেষ। তৃতীয় বাক্য।"
    assert render.cut_end(text, 30) == "প্রথম বাক্যটি এখানে। …"  # at the sentence end
    cut = render.cut_end(text, 60)  # the sentence end would waste too much: at a word
    assert len(cut) <= 60 and cut.endswith(" …")
    assert text.startswith(cut[:-2]) and text[len(cut) - 2] == " "
    start = render.cut_start(text, 40)
    assert start.startswith("… ") and len(start) <= 40
    assert text.endswith(start[2:])
    words = render.cut_end("শব্দ " * 50, 23)
    assert words.endswith(" …") and words[:-2].split() == ["শব্দ"] * len(words[:-2].split())


def test_excerpt_keeps_the_highlight_whole() -> None:
    before = "আগের কথা। " * 100
    best = "এই বাক্যটিই উত্তর।"
    after = " পরের কথা।" * 100
    pre, bold, post = render.excerpt(before + best + after, best, 300)
    assert bold == best
    assert len(pre) + len(bold) + len(post) <= 300
    assert pre.startswith("… ") and post.endswith("…")


def test_pages_and_keyboard() -> None:
    hits = [hit(f"বাক্য {i}।", f"বাক্য {i}।", rank=i + 1) for i in range(7)]
    page3 = render.answer_page("q", hits, 2, 3)
    assert "৭." in page3 and "পাতা ৩/৩" in page3 and "৬." not in page3
    keyboard = render.answer_keyboard("AbCdEfGh", 1, 3)
    data = [b.callback_data for row in keyboard.inline_keyboard for b in row]
    assert data == ["p:AbCdEfGh:0", "p:AbCdEfGh:2", "f:AbCdEfGh:u", "f:AbCdEfGh:d"]
    assert all(len(str(d).encode()) <= 64 for d in data)


def test_sources_page() -> None:
    articles = [
        ArticleInfo(f"doc{i}", f"খবর <{i}>" if i % 2 else None, "আউটলেট", f"2024-01-0{i % 9 + 1}", None, 3)
        for i in range(12)
    ]
    html = render.sources_page(articles, 1, 10, BN)
    text, _ = parse_html(html)
    assert "১১." in text and "খবর <11>" in text and "পাতা ২/২" in text and "doc10" not in text
    assert "১১. শিরোনামহীন প্রতিবেদন — আউটলেট, ২ জানুয়ারি ২০২৪" in text  # a label, never the file id
    assert render.sources_keyboard(0, 2) is not None and render.sources_keyboard(0, 1) is None
    assert render.sources_page([], 0, 10, BN) == BN.sources_empty


def test_format_date() -> None:
    assert render.format_date("2025-10-27") == "২৭ অক্টোবর ২০২৫"
    assert render.format_date("গত সপ্তাহে") == "গত সপ্তাহে"
    assert render.format_date(None) == ""
    assert render.format_date("2025-10-27", EN) == "27 October 2025"


def test_also_reported_names_each_other_outlet_once_with_its_link() -> None:
    also = (
        Citation("b", "শিরোনাম", "আউটলেট <খ>", "https://b.example/1", "2024-03-12"),
        Citation("c", None, "আউটলেট গ", None, None),
        Citation("d", None, "আউটলেট গ", "javascript:alert(1)", None),
    )
    h = dataclasses.replace(hit("বাক্য।", "বাক্য।"), also=also)
    html = render.answer_page("q", [h], 0, 3)
    text, entities = parse_html(html)
    assert "আরও প্রকাশ করেছে: আউটলেট <খ>, আউটলেট গ" in text and "javascript" not in html
    assert [e["url"] for e in entities if e["type"] == "text_link"][-1] == "https://b.example/1"


def test_echoed_text_loses_bidirectional_controls() -> None:
    spoof = "abc \u202edcba\u202c \u2066x\u2069 \u200fq"
    shown = render.shorten(spoof, 200)
    assert shown == "abc dcba x q"
