"""How much of a page's article an extraction kept, and how much furniture it let through."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.text.analyser import normalize
from tests.support.news_pages import Page, furniture_texts

_SENTENCE = re.compile(r"(?<=[।?!])\s+")


def _flat(text: str) -> str:
    return " ".join(normalize(text).split())


def sentences(paragraphs: list[str] | tuple[str, ...]) -> list[str]:
    """Sentences of the given paragraphs (split after । ? !)."""
    return [s for p in paragraphs for s in _SENTENCE.split(p.strip()) if s.strip()]


@dataclass(frozen=True)
class Quality:
    body_kept: int
    body_total: int
    furniture_through: int
    furniture_total: int
    leaked: tuple[str, ...]

    @property
    def body_share(self) -> float:
        return self.body_kept / self.body_total

    @property
    def furniture_share(self) -> float:
        return self.furniture_through / self.furniture_total


def measure(page: Page, stored_text: str) -> Quality:
    """Body sentences found whole in the stored text; furniture pieces found in it (single words as a
    whole word, so a menu item "খেলা" is not found inside a body word)."""
    text = _flat(stored_text)
    tokens = set(re.findall(r"[\w\u0980-\u09ff]+", text))
    body = sentences(page.body)
    kept = sum(1 for s in body if _flat(s) in text)
    furniture = sentences(furniture_texts(page))
    leaked = tuple(f for f in furniture if (_flat(f) in tokens if len(f.split()) == 1 else _flat(f) in text))
    return Quality(kept, len(body), len(leaked), len(furniture), leaked)
