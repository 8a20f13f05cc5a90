"""Whether an extracted page is one article worth indexing: enough sentence prose, not a list of stories,
not a login wall. The refusal says which, for the admin who pasted the link.
"""

from __future__ import annotations

import re

from retrieval.errors import PageRefused
from retrieval.web.extraction import Extracted

MIN_ARTICLE_WORDS = 60  # words in sentence-ending paragraphs; a caption or a teaser has fewer
_PASSWORD_FIELD = re.compile(r"""<input[^>]+type\s*=\s*["']?password""", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[।॥?!.]['\"”’)]?$")


def article_words(text: str) -> int:
    """Words in paragraphs that read as article prose: ten words or more, ending a sentence."""
    total = 0
    for paragraph in text.split("\n\n"):
        count = len(paragraph.split())
        if count >= 10 and _SENTENCE_END.search(paragraph.strip()):
            total += count
    return total


def refuse_non_article(extracted: Extracted, cleaned: str, html: str) -> None:
    """PageRefused with the reason when the page is not one article worth indexing."""
    lines = [line for line in extracted.text.splitlines() if line.strip()]
    listed = sum(1 for line in lines if line.lstrip().startswith(("- ", "* ", "• ")))
    words = article_words(cleaned)
    if words >= MIN_ARTICLE_WORDS and not (lines and listed / len(lines) > 0.5):
        return
    if _PASSWORD_FIELD.search(html):
        raise PageRefused("the page asks for a login (a paywall or login wall): its article text is not readable")
    if lines and listed / len(lines) > 0.5 or (extracted.page_type or "").lower() in ("website", "webpage"):
        raise PageRefused("the page is a list of stories (an index or section page), not one article")
    raise PageRefused(
        f"too little article text on the page ({words} words in full sentences; "
        f"at least {MIN_ARTICLE_WORDS} are needed)"
    )
