"""Citations as plain text in one language: a date ("১২ মার্চ ২০২৪" / "12 March 2024"), an article's
label (its title, else its outlet and date, else "untitled report") and the "also reported by" list.
Telegram-free: the command line prints these, the bot's renderer escapes them."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages.texts import Texts, bn_digits
from retrieval import BENGALI_MONTHS, Citation

ENGLISH_MONTHS = "January February March April May June July August September October November December".split()


def format_date(published: str | None, lang: str = "bn") -> str:
    """An ISO date as "১২ মার্চ ২০২৪" (lang "bn") or "12 March 2024" ("en"); anything else as given."""
    if not published:
        return ""
    parts = published[:10].split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
        return published
    year, month, day = parts[0], int(parts[1]), int(parts[2])
    if lang == "bn":
        return f"{bn_digits(day)} {BENGALI_MONTHS[month - 1]} {bn_digits(year)}"
    return f"{day} {ENGLISH_MONTHS[month - 1]} {year}"


def one_line(text: str | None) -> str:
    """Text on one line, runs of white space made one space."""
    return " ".join((text or "").split())


def outlet_and_date(source: str | None, published: str | None, t: Texts) -> str:
    """ "outlet · date", either part left out when unknown."""
    return " · ".join(p for p in (one_line(source), format_date(published, t.lang)) if p)


def article_label(title: str | None, source: str | None, published: str | None, t: Texts) -> str:
    """What names an article: its title, else its outlet (or "untitled report") and its date when known,
    as the bot heads an answer (bot.render.headline); never a file id or the passage's opening words."""
    if one_line(title):
        return one_line(title)
    return " · ".join(p for p in (one_line(source) or t.untitled, format_date(published, t.lang)) if p)


def also_outlets(also: Sequence[Citation], t: Texts) -> list[str]:
    """The other reports of a story, one "outlet (link)" each (the outlet or title alone without a link),
    each outlet once."""
    shown: list[str] = []
    seen: set[str] = set()
    for citation in also:
        name = one_line(citation.source) or article_label(citation.title, None, citation.published, t)
        if name in seen:
            continue
        seen.add(name)
        shown.append(f"{name} ({citation.url})" if citation.url else name)
    return shown


def also_reported(also: Sequence[Citation], t: Texts) -> str:
    """ "আরও প্রকাশ করেছে: outlet (link), outlet", or "" when no other outlet reported the story."""
    outlets = also_outlets(also, t)
    return t.also_reported.format(outlets=", ".join(outlets)) if outlets else ""
