"""Corpus loading: the shipped seed articles, front matter, JSON Lines, and the skip reasons for unusable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.corpus.loader import SUPPORTED_SUFFIXES, LoadResult, corpus_files, load_corpus, parse_file
from retrieval.errors import CorpusError
from retrieval.records import Article
from retrieval.text.analyser import normalize, tidy
from tests.support.seeds import ARTICLES, BODY, MORE_BODY, SEEDS, cleaned_seed, raw_seed


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


def test_article_title_keeps_its_dash_and_is_still_found_in_the_body() -> None:
    stem = "000_43b20ac34654a04f"
    (article,) = parse_file(f"{stem}.md", (ARTICLES / f"{stem}.md").read_bytes()).articles
    assert article.title is not None and "–" in article.title
    assert article.title == tidy(SEEDS[stem][0] or "")
    # The title line in the body was removed although stored title and body keep their en dash.
    assert not any(normalize(p).endswith(normalize(article.title)) for p in article.text.split("\n\n"))


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
            {
                "id": "a",
                "title": "শিরোনাম ১",
                "text": BODY,
                "source": "প্রথম আলো",
                "url": "https://x.example/a",
                "published": "2024-01-02",
            },
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
        "bad_date.txt",
        "bad_day.md",
        "bad_line.md",
        "no_close.md",
        "open_quote.md",
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


def test_the_added_folder_is_read_after_the_operators_files_and_its_files_named_by_folder(tmp_path: Path) -> None:
    (tmp_path / "z.md").write_text(BODY, encoding="utf-8")
    (tmp_path / "added").mkdir()
    (tmp_path / "added" / "a.md").write_text(MORE_BODY, encoding="utf-8")
    (tmp_path / "added" / "z.md").write_text(MORE_BODY, encoding="utf-8")  # same id as ../z.md: loses
    (tmp_path / "added" / ".upload-1.tmp").write_text(BODY, encoding="utf-8")
    (tmp_path / "added" / "deeper").mkdir()
    (tmp_path / "added" / "deeper" / "d.md").write_text(BODY, encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [(a.doc_id, a.origin) for a in result.articles] == [("z", "z.md"), ("a", "added/a.md")]
    assert skipped_names(result) == ["added/z.md"] and "z.md" in reason_for(result, "added/z.md")
    assert sorted(corpus_files(tmp_path)) == ["added/a.md", "added/z.md", "z.md"]


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
