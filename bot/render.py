"""Hits to Telegram HTML, and the inline keyboards that go with them.

Cut points are chosen on the raw article text (at a sentence end, else a word boundary), the
pieces are escaped afterwards, and the final string is measured: a message never exceeds
Telegram's MessageLimit.MAX_TEXT_LENGTH (4096) and a tag is never cut.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import regex
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.messages import answer_labels, citations
from bot.messages.bengali import BN
from bot.messages.texts import Texts, bn_digits
from retrieval import ArticleInfo, Hit, sentence_ends

MESSAGE_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096 UTF-16 code units
PASSAGE_MAX = 1200  # raw characters of one passage shown, however much room is left
ELLIPSIS = "…"

# callback_data layouts: short ids only, far below Telegram's InlineKeyboardButtonLimit.MAX_CALLBACK_DATA (64 bytes).
PAGE_PATTERN = r"^p:(\w+):(\d+)$"
FEEDBACK_PATTERN = r"^f:(\w+):([ud])$"
SOURCES_PATTERN = r"^s:(\d+)$"
UPLOAD_PATTERN = r"^u:([A-Za-z0-9]{8}):([rc])$"  # replace / cancel a held upload
REMOVE_PATTERN = r"^x:([0-9a-f]{8}):([yc])$"  # confirm / cancel an admin's /remove


def tg_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: object) -> str:
    """Escape text for Telegram HTML."""
    return html.escape(str(text), quote=False)


# Bidirectional controls (embeddings, overrides, isolates, marks): echoed back they could reverse or
# spoof the rest of a line in Telegram's clients, and no question needs them.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


def shorten(text: str, limit: int) -> str:
    """Plain text of at most `limit` characters, cut at a word boundary, without bidirectional controls."""
    text = " ".join(text.translate(_BIDI_CONTROLS).split())
    return text if len(text) <= limit else cut_end(text, limit)


def cut_end(text: str, limit: int) -> str:
    """The start of text in at most `limit` characters (ellipsis included), ending at a sentence or word."""
    if len(text) <= limit:
        return text
    room = limit - 2  # for " …"
    if room <= 0:
        return ""
    ends = [e for e in sentence_ends(text) if e <= room]
    if ends and ends[-1] >= room // 2:
        return text[: ends[-1]] + " " + ELLIPSIS
    space = text.rfind(" ", 0, room + 1)
    return (text[:space] if space > room // 3 else text[:room]).rstrip() + " " + ELLIPSIS


def cut_start(text: str, limit: int) -> str:
    """The end of text in at most `limit` characters (ellipsis included), starting at a sentence or word."""
    if len(text) <= limit:
        return text
    room = limit - 2  # for "… "
    if room <= 0:
        return ""
    first = len(text) - room
    starts = [e for e in sentence_ends(text) if first <= e <= first + room // 2]
    if starts:
        return ELLIPSIS + " " + text[starts[0] :].lstrip()
    space = text.find(" ", first, first + room // 2)
    return ELLIPSIS + " " + (text[space + 1 :] if space >= 0 else text[first:]).lstrip()


def excerpt(text: str, highlight: str, budget: int) -> tuple[str, str, str]:
    """(before, highlight, after): raw pieces of at most `budget` characters, highlight kept whole if it fits."""
    start = text.find(highlight) if highlight else -1
    if start < 0:
        return "", "", cut_end(text, budget)
    before, after = text[:start], text[start + len(highlight) :]
    if len(text) <= budget:
        return before, highlight, after
    if len(highlight) >= budget:
        return "", cut_end(highlight, budget), ""
    rest = budget - len(highlight)
    before_share = min(len(before), rest // 3)
    after_share = rest - before_share
    if len(after) < after_share:
        before_share = min(len(before), rest - len(after))
    return cut_start(before, before_share), highlight, cut_end(after, after_share)


def format_date(published: str | None, texts: Texts = BN) -> str:
    """An ISO date as "১২ মার্চ ২০২৪" (in English texts "12 March 2024"); anything else as given."""
    return citations.format_date(published, texts.lang)


def _is_web_link(url: str | None) -> bool:
    return url is not None and len(url) <= 1000 and url.lower().startswith(("http://", "https://"))


def _outlet_and_date(hit: Hit) -> str:
    return " · ".join(p for p in (shorten(hit.source or "", 100), format_date(hit.published)) if p)


def headline(hit: Hit, texts: Texts = BN) -> str:
    """What heads a result: the article's title, else its outlet (or "untitled report") and date.

    Never the passage's own opening words: the passage follows right underneath, and its bold
    highlight would often repeat them a third time."""
    title = " ".join((hit.title or "").split())
    if title:
        return title
    return " · ".join(p for p in (shorten(hit.source or "", 100) or texts.untitled, format_date(hit.published)) if p)


ALSO_SHOWN = 5  # other outlets named under a passage at most; "…" stands for the rest


def also_line(hit: Hit) -> str:
    """ "আরও প্রকাশ করেছে: <a>outlet</a>, outlet": other outlets' reports of the story, linked when known."""
    shown: list[str] = []
    seen: set[str] = set()
    for c in hit.also:
        name = shorten(c.source or "", 60) or shorten(citations.article_label(c.title, None, c.published, BN), 60)
        if name in seen:
            continue
        seen.add(name)
        link = c.url if _is_web_link(c.url) else None
        shown.append(f'<a href="{html.escape(link, quote=True)}">{esc(name)}</a>' if link else esc(name))
    if not shown:
        return ""
    more = [ELLIPSIS] if len(shown) > ALSO_SHOWN else []
    return answer_labels.ALSO_REPORTED.format(outlets=", ".join(shown[:ALSO_SHOWN] + more))


def _hit_block(hit: Hit, number: int, budget: int) -> str:
    """One passage with its citation; the passage trimmed to `budget` raw characters."""
    before, bold, after = excerpt(hit.text, hit.highlight, budget)
    heading = headline(hit)
    lines = [f"<b>{bn_digits(number)}. {esc(shorten(heading, 200))}</b>"]
    meta = _outlet_and_date(hit)
    if meta and (hit.title or "").strip():  # an untitled article is headed by its outlet and date
        lines.append(f"<i>{esc(meta)}</i>")
    passage = esc(before) + (f"<b>{esc(bold)}</b>" if bold else "") + esc(after)
    if passage:
        lines.append(passage)
    if _is_web_link(hit.url):
        lines.append(f'🔗 <a href="{html.escape(hit.url or "", quote=True)}">{answer_labels.ANSWER_LINK}</a>')
    if also := also_line(hit):
        lines.append(also)
    return "\n".join(lines)


def _fair_level(lengths: Sequence[int], total: int) -> int:
    """The largest cap L with sum(min(length, L)) <= total (water-filling)."""
    remaining, count = max(total, 0), len(lengths)
    for i, length in enumerate(sorted(lengths)):
        share = remaining // (count - i)
        if length > share:
            return share
        remaining -= length
    return max(lengths, default=0)


def _fit(head: str, hits: Sequence[Hit], first_number: int, limit: int = MESSAGE_LIMIT) -> str:
    """head + passages, the passages shortened evenly until the whole message fits."""

    def assemble(budgets: Sequence[int]) -> str:
        blocks = [_hit_block(h, first_number + i, b) for i, (h, b) in enumerate(zip(hits, budgets, strict=True))]
        return "\n\n".join([head, *blocks])

    hits = list(hits)
    lengths = [min(len(h.text), PASSAGE_MAX) for h in hits]
    text = assemble(lengths)
    room = limit - tg_len(assemble([0] * len(hits)))  # characters left for the passages themselves
    while tg_len(text) > limit:
        if room <= 0:  # citations alone overflow (absurd titles or links): show fewer passages
            hits, lengths = hits[:-1], lengths[:-1]
            text, room = assemble(lengths), limit - tg_len(assemble([0] * len(hits)))
            continue
        level = _fair_level(lengths, room)
        text = assemble([min(n, level) for n in lengths])
        room -= max(tg_len(text) - limit, 0) + 8  # escaping made it longer than its raw budget
    return text


def answer_page(question: str, hits: Sequence[Hit], page: int, per_page: int) -> str:
    """One page of an answer: the question, then `per_page` passages with citations."""
    pages = page_count(len(hits), per_page)
    shown = hits[page * per_page : (page + 1) * per_page]
    head = answer_labels.ANSWER_QUESTION.format(question=esc(shorten(question, 200)))
    if pages > 1:
        head += "\n" + answer_labels.ANSWER_PAGE.format(page=bn_digits(page + 1), pages=bn_digits(pages))
    return _fit(head, shown, page * per_page + 1)


def single_hit(question: str, hit: Hit, number: int = 1) -> str:
    """One passage with its citation, as posted from an inline result."""
    head = answer_labels.ANSWER_QUESTION.format(question=esc(shorten(question, 200)))
    return _fit(head, [hit], number)


def question_shown(text: str) -> str | None:
    """The question an answer message shows in its first line (visible text), or None."""
    first = text.split("\n", 1)[0]
    prefix = html.unescape(regex.sub("<[^>]+>", "", answer_labels.ANSWER_QUESTION.format(question="")))
    if not first.startswith(prefix):
        return None
    question = first[len(prefix) :].removesuffix(" " + ELLIPSIS).strip()
    return question or None


def first_line(hit: Hit, limit: int = 120) -> str:
    """The passage's first line, plain text, for an inline result's description."""
    line = hit.text.strip().split("\n", 1)[0]
    return shorten(line, limit)


def page_count(items: int, per_page: int) -> int:
    """How many pages `items` fill (at least one)."""
    return max(1, math.ceil(items / per_page))


def answer_keyboard(qid: str, page: int, pages: int) -> InlineKeyboardMarkup:
    """Previous/next page and 👍/👎 buttons for one stored question."""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(answer_labels.BUTTON_PREV, callback_data=f"p:{qid}:{page - 1}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(answer_labels.BUTTON_NEXT, callback_data=f"p:{qid}:{page + 1}"))
    votes = [
        InlineKeyboardButton(answer_labels.BUTTON_UP, callback_data=f"f:{qid}:u"),
        InlineKeyboardButton(answer_labels.BUTTON_DOWN, callback_data=f"f:{qid}:d"),
    ]
    return InlineKeyboardMarkup([row for row in (nav, votes) if row])


def sources_page(
    articles: Sequence[ArticleInfo], page: int, per_page: int, texts: Texts, *, with_ids: bool = False
) -> str:
    """One page of the indexed-article list; with_ids (for admins) adds each article's id, as /remove takes it."""
    if not articles:
        return texts.sources_empty
    pages = page_count(len(articles), per_page)
    lines = [
        texts.sources_header.format(total=texts.num(len(articles)), page=texts.num(page + 1), pages=texts.num(pages))
    ]
    for n, art in enumerate(articles[page * per_page : (page + 1) * per_page], start=page * per_page + 1):
        lines.append(
            texts.sources_line.format(
                n=texts.num(n),
                title=esc(
                    shorten(citations.article_label(art.title, None, None, texts) if art.title else texts.untitled, 120)
                ),
                outlet=esc(shorten(art.source or "—", 60)),
                date=esc(format_date(art.published, texts) or "—"),
            )
            + (f" · <code>{esc(art.doc_id)}</code>" if with_ids else "")
        )
    return "\n".join(lines)


def latest_page(articles: Sequence[ArticleInfo], topic: str | None, texts: Texts) -> str:
    """/latest: the newest articles (about a topic), newest first, each with its outlet, date and link."""
    if not articles:
        return texts.latest_empty
    head = texts.latest_topic_header.format(topic=esc(shorten(topic, 100))) if topic else texts.latest_header
    lines = [head]
    for n, art in enumerate(articles, start=1):
        label = esc(
            shorten(citations.article_label(art.title, None, None, texts) if art.title else texts.untitled, 150)
        )
        if _is_web_link(art.url):
            label = f'<a href="{html.escape(art.url or "", quote=True)}">{label}</a>'
        meta = " · ".join(p for p in (shorten(art.source or "", 60), format_date(art.published, texts)) if p)
        lines.append(texts.latest_line.format(n=texts.num(n), title=label, meta=esc(meta or "—")))
    return "\n".join(lines)


def sources_keyboard(page: int, pages: int) -> InlineKeyboardMarkup | None:
    """Previous/next buttons for /sources, or None when everything fits on one page."""
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(answer_labels.BUTTON_PREV, callback_data=f"s:{page - 1}"))
    if page + 1 < pages:
        nav.append(InlineKeyboardButton(answer_labels.BUTTON_NEXT, callback_data=f"s:{page + 1}"))
    return InlineKeyboardMarkup([nav]) if nav else None


def remove_keyboard(token: str, texts: Texts) -> InlineKeyboardMarkup:
    """Remove / Cancel under an admin's /remove."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.remove_button, callback_data=f"x:{token}:y"),
                InlineKeyboardButton(texts.upload_cancel_button, callback_data=f"x:{token}:c"),
            ]
        ]
    )


def upload_keyboard(token: str, texts: Texts) -> InlineKeyboardMarkup:
    """Replace / Cancel for an upload that would replace a corpus file."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.upload_replace_button, callback_data=f"u:{token}:r"),
                InlineKeyboardButton(texts.upload_cancel_button, callback_data=f"u:{token}:c"),
            ]
        ]
    )
