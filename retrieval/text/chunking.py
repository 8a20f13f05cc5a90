"""Sentence-aware passages: whole sentences, within a paragraph, up to a word budget.

Passage ids are "<doc_id>#<ordinal>": stable for an unchanged article, so results pages and
embedding caches keyed on them stay valid across re-indexes.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.records import Article, Passage
from retrieval.text.analyser import split_sentences

MAX_WORDS = 60  # a few sentences: enough context, short enough to read in a chat (measured 40-120)
MIN_WORDS = 12  # shorter paragraphs (subheadings, one-liners) join the next paragraph


def chunk_article(article: Article) -> list[Passage]:
    """Split an article's cleaned paragraphs into passages of whole sentences."""
    groups: list[list[_Sentence]] = []
    carry: list[_Sentence] = []
    for paragraph in article.text.split("\n\n"):
        sentences = carry + _sentences(paragraph)
        carry = []
        if _count_words(sentences) < MIN_WORDS:
            carry = sentences
            continue
        groups.extend(_pack(sentences))
    if carry:
        if groups and _count_words(groups[-1]) + _count_words(carry) <= MAX_WORDS:
            groups[-1] = groups[-1] + carry
        else:
            groups.append(carry)
    return [_passage(article, i, _join(group)) for i, group in enumerate(groups)]


@dataclass(frozen=True)
class _Sentence:
    text: str
    ends_line: bool  # the last sentence of its source line (a paragraph, or a heading above one)


def _sentences(paragraph: str) -> list[_Sentence]:
    """The paragraph's sentences, each knowing whether a line of the source ends with it."""
    out: list[_Sentence] = []
    for line in paragraph.split("\n"):
        parts = split_sentences(line)
        out.extend(_Sentence(part, i == len(parts) - 1) for i, part in enumerate(parts))
    return out


def _join(group: list[_Sentence]) -> str:
    """The passage text. Source lines stay on lines of their own: a heading line such as "সম্পর্কের
    পুনর্নির্মাণে পুতিনের সফর" has no danda, and joined with a space it would read (and be split and
    highlighted) as the start of the sentence below it. split_sentences() splits at the newline."""
    return "".join(s.text + ("\n" if s.ends_line else " ") for s in group).rstrip()


def _pack(sentences: list[_Sentence]) -> list[list[_Sentence]]:
    """Greedy packing of sentences into groups under max_words, folding a short tail back in."""
    groups: list[list[_Sentence]] = [[]]
    for sentence in sentences:
        if groups[-1] and _count_words(groups[-1]) + len(sentence.text.split()) > MAX_WORDS:
            groups.append([])
        groups[-1].append(sentence)
    if len(groups) > 1 and _count_words(groups[-1]) < MIN_WORDS:
        tail = groups.pop()
        groups[-1] = groups[-1] + tail
    return groups


def _count_words(sentences: list[_Sentence]) -> int:
    return sum(len(s.text.split()) for s in sentences)


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
