"""The strings of adding articles from links (/add), in Bengali and English; valid Telegram HTML.

Kept beside bot/messages.py rather than in its Texts, so this feature's strings live in one place;
callers `html.escape` whatever goes into the placeholders, as with every other message."""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages.texts import bn_digits


@dataclass(frozen=True)
class LinkTexts:
    """The /add strings of one language."""

    lang: str
    usage: str
    busy: str
    fetching: str
    indexing: str
    added: str  # one added article: title, outlet, date, passages, url
    refused: str  # one link that was not added, and why
    index_later: str  # saved, but a re-index was already running
    index_interrupted: str  # saved, but the bot was stopping and interrupted its re-index
    index_failed: str
    unexpected: str
    feeds_none: str
    feeds_polling: str
    feeds_header: str
    feeds_line: str
    feeds_error: str
    feeds_never: str

    def num(self, value: object) -> str:
        """A number in this language's digits."""
        return bn_digits(value) if self.lang == "bn" else str(value)


LINK_BN = LinkTexts(
    lang="bn",
    usage="লিংকটি কমান্ডের পরেই দিন, যেমন:\n<code>/add https://example.com/news/123</code>",
    busy="একটি সূচি-হালনাগাদ এখন চলছে; সেটি শেষ হলে লিংকটি আবার পাঠান।",
    fetching="⏳ লিংক থেকে খবর আনা হচ্ছে…",
    indexing="⏳ খবর রাখা হয়েছে; সূচি হালনাগাদ হচ্ছে…",
    added="✅ <b>{title}</b>\n{outlet} · {published} · অনুচ্ছেদ: {passages}\n🔗 {url}",
    refused="❌ {url}\nযোগ করা গেল না: {reason}",
    index_later="খবর রাখা হয়েছে, কিন্তু আরেকটি সূচি-হালনাগাদ চলছিল; পরের /reindex-এ এটি খোঁজা যাবে।",
    index_interrupted="খবর রাখা হয়েছে, কিন্তু বট বন্ধ হচ্ছিল বলে সূচি-হালনাগাদ থামানো হয়েছে; পরের /reindex-এ এটি খোঁজা যাবে।",
    index_failed="❌ সূচি হালনাগাদ হয়নি: {reason}",
    unexpected="পাতাটি পড়তে গিয়ে অপ্রত্যাশিত একটি সমস্যা হয়েছে (বিস্তারিত লগে আছে)",
    feeds_none="কোনো ফিড ঠিক করা নেই: SONDHANI_FEEDS-এ RSS/Atom ফিডের ঠিকানা দিন।",
    feeds_polling="ফিডগুলো এখন পড়া হচ্ছে; একটু পরে আবার /feeds দেখুন।",
    feeds_header="<b>ফিড</b>",
    feeds_line="• {url}\nশেষ পড়া: {when} · নতুন খবর: {new} · মোট যোগ: {total}",
    feeds_error="\n⚠️ শেষ ত্রুটি: {error}",
    feeds_never="এখনো পড়া হয়নি",
)

LINK_EN = LinkTexts(
    lang="en",
    usage="Put the link after the command, e.g.\n<code>/add https://example.com/news/123</code>",
    busy="A re-index is running; send the link again when it has finished.",
    fetching="⏳ Fetching the article…",
    indexing="⏳ Article saved; re-indexing…",
    added="✅ <b>{title}</b>\n{outlet} · {published} · passages: {passages}\n🔗 {url}",
    refused="❌ {url}\nNot added: {reason}",
    index_later="Saved, but another re-index was running: it becomes searchable at the next /reindex.",
    index_interrupted="Saved, but the bot was stopping, so the re-index stopped: searchable after the next /reindex.",
    index_failed="❌ The re-index failed: {reason}",
    unexpected="an unexpected error while reading the page (details are in the log)",
    feeds_none="No feeds are configured: set SONDHANI_FEEDS to RSS/Atom feed URLs.",
    feeds_polling="The feeds are being polled right now; send /feeds again in a moment.",
    feeds_header="<b>Feeds</b>",
    feeds_line="• {url}\nlast poll: {when} · new articles: {new} · added in all: {total}",
    feeds_error="\n⚠️ last error: {error}",
    feeds_never="not polled yet",
)


def link_texts_for(language_code: str | None) -> LinkTexts:
    """English for "en…" users, Bengali for everyone else (as bot.messages.texts_for)."""
    return LINK_EN if (language_code or "").lower().startswith("en") else LINK_BN
