"""Sentence-aware passages: whole sentences, within a paragraph, up to a word budget.

Passage ids are "<doc_id>#<ordinal>": stable for an unchanged article, so results pages and
embedding caches keyed on them stay valid across re-indexes.
"""

from __future__ import annotations

from retrieval.models import Article, Passage
from retrieval.text import split_sentences

MAX_WORDS = 60  # a few sentences: enough context, short enough to read in a chat (measured 40-120)
MIN_WORDS = 12  # shorter paragraphs (subheadings, one-liners) join the next paragraph


def chunk_article(article: Article, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS) -> list[Passage]:
    """Split an article's cleaned paragraphs into passages of whole sentences."""
    groups: list[list[str]] = []
    carry: list[str] = []
    for paragraph in article.text.split("\n\n"):
        sentences = carry + split_sentences(paragraph)
        carry = []
        if _count_words(sentences) < min_words:
            carry = sentences
            continue
        groups.extend(_pack(sentences, max_words))
    if carry:
        if groups and _count_words(groups[-1]) + _count_words(carry) <= max_words:
            groups[-1] = groups[-1] + carry
        else:
            groups.append(carry)
    return [_passage(article, i, " ".join(group)) for i, group in enumerate(groups)]


def _pack(sentences: list[str], max_words: int) -> list[list[str]]:
    """Greedy packing of sentences into groups under max_words, folding a short tail back in."""
    groups: list[list[str]] = [[]]
    for sentence in sentences:
        if groups[-1] and _count_words(groups[-1]) + len(sentence.split()) > max_words:
            groups.append([])
        groups[-1].append(sentence)
    if len(groups) > 1 and _count_words(groups[-1]) < MIN_WORDS:
        tail = groups.pop()
        groups[-1] = groups[-1] + tail
    return groups


def _count_words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _passage(article: Article, ordinal: int, text: str) -> Passage:
    return Passage(
        passage_id=f"{article.doc_id}#{ordinal}",
        doc_id=article.doc_id,
        ordinal=ordinal,
        text=text,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published,
    )
