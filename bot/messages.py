"""Every user-facing string, in Bengali and English.

Answers (passages and citations) are always in Bengali; the surrounding texts follow the user's
language_code ("en..." gets English, everyone else Bengali). Every string here is valid Telegram
HTML; callers `html.escape` whatever they put into the placeholders.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from retrieval import IndexStage

_BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")

PUBLIC_COMMANDS = (
    ("start", "শুরু ও পরিচিতি"),
    ("help", "কীভাবে প্রশ্ন করবেন"),
    ("ask", "প্রশ্ন করুন (গ্রুপে): /ask আপনার প্রশ্ন"),
    ("sources", "কোন কোন খবর থেকে উত্তর আসে"),
)
ADMIN_COMMANDS = (
    ("reindex", "সংগ্রহ আবার সূচিবদ্ধ করুন"),
    ("status", "ইঞ্জিনের অবস্থা"),
    ("stats", "ব্যবহারের পরিসংখ্যান"),
    ("add", "লিংক থেকে খবর যোগ করুন: /add URL"),
    ("feeds", "নিউজ ফিডের অবস্থা"),
)

# Labels inside an answer (always Bengali).
ANSWER_QUESTION = "🔎 <b>প্রশ্ন:</b> {question}"
ANSWER_PAGE = "পাতা {page}/{pages}"
ANSWER_LINK = "মূল খবর"
BUTTON_NEXT = "পরের উত্তর ▶"
BUTTON_PREV = "◀ আগের"
BUTTON_UP = "👍"
BUTTON_DOWN = "👎"

_STAGES_BN: dict[IndexStage, str] = {  # every stage the indexer reports (IndexStage), no others
    "chunking": "অনুচ্ছেদে ভাগ করা হচ্ছে",
    "embedding": "এমবেডিং তৈরি হচ্ছে",
    "saving": "সংরক্ষণ করা হচ্ছে",
}


def bn_digits(value: object) -> str:
    """The value as text with Bengali digits."""
    return str(value).translate(_BN_DIGITS)


@dataclass(frozen=True)
class Texts:
    """The interface strings of one language."""

    lang: str
    start: str
    help: str
    ask_usage: str
    empty: str
    too_long: str
    no_words: str
    non_text: str
    rate_limited: str
    no_answer: str
    no_answer_because: dict[str, str]  # NoAnswerReason -> one line shown under no_answer
    index_missing: str
    error: str
    unknown_command: str
    result_gone: str
    not_this_chat: str  # a button pressed outside the chat of its answer
    unknown_button: str
    feedback_thanks: str
    inline_button: str
    inline_too_short: str
    admin_only: str
    reindex_running: str
    reindex_started: str
    reindex_progress: str
    reindex_pace: str  # embedding speed and time left, under reindex_progress
    reindex_summary: str
    reindex_skipped_line: str
    reindex_failed: str
    reindex_done: str
    reindex_interrupted: str  # the bot stopped (SIGTERM) during a re-index; the old index keeps serving
    upload_bad_type: str  # {suffixes}: the corpus file types, from the library
    upload_too_big: str
    upload_refused: str
    upload_saved: str
    upload_busy: str
    upload_kept_both: str  # the name was taken: saved beside the existing file under another name
    upload_identical: str
    upload_replace_ask: str  # a new version of an existing file: what replacing it would change
    upload_replace_button: str
    upload_cancel_button: str
    upload_replaced: str
    upload_cancelled: str
    upload_changed: str  # the file to replace changed between the question and the answer
    upload_gone: str  # a replace/cancel button whose upload was decided already or expired
    status: str
    status_reindexing: str
    stats: str
    stats_chat_line: str
    stats_private_line: str  # private chats are counted, never listed
    sources_header: str
    sources_line: str
    sources_empty: str
    never: str
    dense_on: str
    dense_off: str
    inline_no_answer: str
    untitled: str  # heads a result whose article states no title, outlet or date
    units: tuple[str, str, str]  # days, hours, minutes
    seconds_unit: str
    last_of_list: str  # joins the last two items of a list: " বা ", " and "

    def num(self, value: object) -> str:
        """A number in this language's digits."""
        return bn_digits(value) if self.lang == "bn" else str(value)

    def listing(self, items: Iterable[str]) -> str:
        """Items as ".md, .txt and .jsonl" in this language."""
        *first, last = items
        return f"{', '.join(first)}{self.last_of_list}{last}" if first else last

    def duration(self, seconds: float) -> str:
        """A duration as "2 d 3 h 4 min" in this language."""
        minutes = int(seconds // 60)
        days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
        parts = [f"{self.num(n)} {unit}" for n, unit in zip((days, hours), self.units[:2], strict=True) if n]
        return " ".join([*parts, f"{self.num(mins)} {self.units[2]}"])

    def stage(self, stage: IndexStage) -> str:
        """A re-index stage word in this language."""
        return _STAGES_BN[stage] if self.lang == "bn" else stage

    def time_left(self, seconds: float) -> str:
        """A remaining time, rounded up: "40 s" under a minute, else "2 h 5 min" in whole minutes."""
        if seconds < 60:
            return f"{self.num(math.ceil(max(seconds, 0)))} {self.seconds_unit}"
        return self.duration(math.ceil(seconds / 60) * 60)


BN = Texts(
    lang="bn",
    start=(
        "স্বাগতম, {name}! আমি <b>সন্ধানী</b>।\n"
        "খবর নিয়ে বাংলায় যেকোনো প্রশ্ন লিখে পাঠান — আমি সংবাদ-সংগ্রহ থেকে সবচেয়ে "
        "প্রাসঙ্গিক অনুচ্ছেদগুলো শিরোনাম, সংবাদমাধ্যম, তারিখ ও লিংকসহ দেখাব।\n"
        "যেমন: <i>ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?</i>\n\n"
        "আরও জানতে /help"
    ),
    help=(
        "<b>কীভাবে ব্যবহার করবেন</b>\n"
        "• এখানে প্রশ্ন লিখে পাঠান; সেরা তিনটি অনুচ্ছেদ সূত্রসহ পাবেন, উত্তরের মূল বাক্যটি মোটা হরফে।\n"
        "• নিচের বোতামে পরের উত্তরগুলো দেখুন; 👍 / 👎 দিয়ে জানান উত্তর কাজে লাগল কি না।\n"
        "• গ্রুপে: <code>/ask আপনার প্রশ্ন</code>, অথবা আমার কোনো উত্তরের জবাব (reply) দিয়ে প্রশ্ন করুন।\n"
        "• যেকোনো চ্যাটে: <code>@{bot} আপনার প্রশ্ন</code> লিখে একটি ফলাফল বেছে নিন।\n"
        "• /sources — যেসব খবর থেকে উত্তর দিই তার তালিকা।"
    ),
    ask_usage="প্রশ্নটি কমান্ডের পরেই লিখুন, যেমন:\n<code>/ask উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?</code>",
    empty="প্রশ্নটি ফাঁকা। অনুগ্রহ করে বাংলায় একটি প্রশ্ন লিখে পাঠান।",
    too_long="প্রশ্নটি অনেক লম্বা ({length} অক্ষর)। অনুগ্রহ করে {limit} অক্ষরের মধ্যে ছোট করে লিখুন।",
    no_words="এতে কোনো শব্দ খুঁজে পাইনি। অনুগ্রহ করে প্রশ্নটি লিখে পাঠান।",
    non_text="আমি শুধু লেখা প্রশ্ন পড়তে পারি — ছবি, স্টিকার বা ভয়েস নয়। প্রশ্নটি লিখে পাঠান।",
    rate_limited="এক মিনিটে অনেকগুলো প্রশ্ন এসেছে। অনুগ্রহ করে {seconds} সেকেন্ড পরে আবার চেষ্টা করুন।",
    no_answer=(
        "দুঃখিত, এই প্রশ্নের উত্তর আমার সংবাদ-সংগ্রহে খুঁজে পাইনি।\n"
        "অন্য শব্দে বা আরও নির্দিষ্ট করে (নাম, স্থান, ঘটনা উল্লেখ করে) আবার জিজ্ঞেস করে দেখুন।"
    ),
    no_answer_because={
        "chatter": "নমস্কার! খবর নিয়ে যেকোনো প্রশ্ন বাংলায় লিখে পাঠান, যেমন: পুতিন কবে উত্তর কোরিয়া সফর করেন?",
        "no_words": "প্রশ্নে খোঁজার মতো কোনো শব্দ নেই।",
        "no_match": "প্রশ্নের কোনো শব্দ বা বিষয় সংগ্রহের কোনো প্রতিবেদনে নেই।",
        "low_coverage": "কিছু প্রতিবেদনে প্রশ্নের দু-একটি শব্দ আছে, কিন্তু প্রশ্নটির উত্তর দেওয়ার মতো কিছু নেই।",
        "low_similarity": "অর্থের দিক থেকে প্রশ্নটির কাছাকাছি কোনো অংশ পাইনি।",
        "needs_dense": "ইংরেজি প্রশ্ন বোঝার মডেল এখন চালু নেই; প্রশ্নটি বাংলায় লিখে দেখুন।",
        "empty_index": "সংগ্রহে এখনো কোনো প্রতিবেদন নেই।",
    },
    index_missing="সংবাদ-সংগ্রহ এখনো সূচিবদ্ধ হয়নি। একটু পরে আবার চেষ্টা করুন।",
    error="দুঃখিত, একটি সমস্যা হয়েছে। একটু পরে আবার চেষ্টা করুন।",
    unknown_command="এই কমান্ডটি চিনি না। /help দেখুন।",
    result_gone="এই ফলাফল আর পাওয়া যাচ্ছে না। প্রশ্নটি আবার পাঠান।",
    not_this_chat="এই বোতামটি অন্য একটি চ্যাটের উত্তরের।",
    unknown_button="এই বোতামটি আর কাজ করে না। প্রশ্নটি আবার পাঠান।",
    feedback_thanks="ধন্যবাদ! আপনার মতামত রাখা হলো।",
    inline_button="প্রশ্ন লিখুন — যেমন: উত্তর কোরিয়া কী বলেছে?",
    inline_too_short="অন্তত {min} অক্ষরের একটি প্রশ্ন লিখুন",
    admin_only="দুঃখিত, এই কমান্ডটি শুধু এই বটের পরিচালকদের জন্য।",
    reindex_running="একটি সূচি-হালনাগাদ এখন চলছে। সেটি শেষ হলে আবার চেষ্টা করুন।",
    reindex_started="⏳ সূচি হালনাগাদ শুরু হয়েছে…",
    reindex_progress="⏳ সূচি হালনাগাদ চলছে…\n{stage}: {done}/{total}",
    reindex_pace="গতি: {rate} অনুচ্ছেদ/সেকেন্ড · বাকি প্রায় {left}",
    reindex_summary=(
        "✅ সূচি হালনাগাদ শেষ ({seconds} সেকেন্ড)\n"
        "নতুন: {added} · হালনাগাদ: {updated} · বাদ: {removed} · অপরিবর্তিত: {unchanged} · "
        "বাতিল: {skipped}\n"
        "মোট খবর: {articles} · অনুচ্ছেদ: {passages}"
    ),
    reindex_skipped_line="• {name}: {reason}",
    reindex_failed="❌ সূচি হালনাগাদ হয়নি: {reason}",
    reindex_done="✅ সূচি হালনাগাদ শেষ।",
    reindex_interrupted="⏹ সূচি হালনাগাদ থেমে গেছে: বট বন্ধ হচ্ছিল। আগের সূচি থেকেই উত্তর দেওয়া হচ্ছে।",
    upload_bad_type="এই ফাইল নেওয়া গেল না: শুধু {suffixes} ফাইল চলে।",
    upload_too_big="এই ফাইল নেওয়া গেল না: আকার {size} বাইট, সীমা {limit} বাইট।",
    upload_refused="এই ফাইল নেওয়া গেল না: {reason}",
    upload_saved="📄 <code>{name}</code> সংগ্রহে রাখা হয়েছে; সূচি হালনাগাদ হচ্ছে…",
    upload_busy="একটি সূচি-হালনাগাদ এখন চলছে; ফাইলটি সেটি শেষ হলে আবার পাঠান।",
    upload_kept_both=(
        "📄 <code>{requested}</code> নামে একটি ফাইল আগেই আছে; সেটি যেমন ছিল তেমনই থাকছে। এই ফাইলটি"
        " <code>{name}</code> নামে রাখা হয়েছে; সূচি হালনাগাদ হচ্ছে…"
    ),
    upload_identical="<code>{name}</code> হুবহু এই বিষয়বস্তু নিয়ে সংগ্রহে আগেই আছে; কিছু বদলায়নি।",
    upload_replace_ask=(
        "⚠️ <code>{name}</code> সংগ্রহে আগেই আছে ({existing}টি খবর), আর এই ফাইলটি তারই নতুন সংস্করণ ({articles}টি খবর)।"
        "\nবদলালে নতুন যোগ হবে {added}টি, হালনাগাদ হবে {updated}টি, আর <b>সূচি থেকে বাদ যাবে {removed}টি খবর</b>।"
        "\nপুরোনো ফাইলটি বদলে দেবেন?"
    ),
    upload_replace_button="বদলে দিন",
    upload_cancel_button="বাতিল",
    upload_replaced="📄 <code>{name}</code> বদলে দেওয়া হয়েছে; সূচি হালনাগাদ হচ্ছে…",
    upload_cancelled="কিছু বদলায়নি: <code>{name}</code> যেমন ছিল তেমনই আছে।",
    upload_changed="<code>{name}</code> এর মধ্যে বদলে গেছে, তাই বদলানো হয়নি। ফাইলটি আবার পাঠান।",
    upload_gone="এই আপলোডের সিদ্ধান্ত আগেই হয়ে গেছে, বা এটি এক দিনের বেশি পুরোনো। ফাইলটি আবার পাঠান।",
    status=(
        "<b>অবস্থা</b>\n"
        "খবর: {articles} · অনুচ্ছেদ: {passages}\n"
        "এমবেডিং মডেল: {model}\n"
        "ভেক্টর-অনুসন্ধান: {dense} — {dense_note}\n"
        "শেষ সূচি: {indexed_at} ({index_seconds} সেকেন্ড)\n"
        "চালু আছে: {uptime}\n"
        "সংস্করণ: {version}"
    ),
    status_reindexing="\n⏳ এখন একটি সূচি-হালনাগাদ চলছে।",
    stats=(
        "<b>পরিসংখ্যান</b>\n"
        "প্রশ্ন — আজ ({zone}): {today} · গত ৭ দিন: {week}\n"
        "উত্তর মেলেনি (৭ দিন): {no_answer_rate}\n"
        "মতামত: 👍 {up} · 👎 {down}\n"
        "সবচেয়ে সক্রিয় চ্যাট (৭ দিন):\n{chats}"
    ),
    stats_chat_line="• {title}: {count}",
    stats_private_line="• ব্যক্তিগত চ্যাট ({chats}টি): {count}",
    sources_header="<b>সূচিবদ্ধ খবর</b> ({total}টি) — পাতা {page}/{pages}",
    sources_line="{n}. {title} — {outlet}, {date}",
    sources_empty="এখনো কোনো খবর সূচিবদ্ধ হয়নি।",
    never="কখনো নয়",
    dense_on="চালু",
    dense_off="বন্ধ",
    inline_no_answer="উত্তর পাওয়া যায়নি — অন্যভাবে লিখে দেখুন",
    untitled="শিরোনামহীন প্রতিবেদন",
    units=("দিন", "ঘণ্টা", "মিনিট"),
    seconds_unit="সেকেন্ড",
    last_of_list=" বা ",
)

EN = Texts(
    lang="en",
    start=(
        "Welcome, {name}! I am <b>Sondhani</b>.\n"
        "Ask me anything about the news, in Bengali: I answer with the most relevant passages from "
        "the news corpus, with title, outlet, date and link.\n"
        "For example: <i>ইউক্রেন যুদ্ধে বেসামরিক আহতের সংখ্যা কত?</i>\n\n"
        "More: /help"
    ),
    help=(
        "<b>How to use me</b>\n"
        "• Send a question here: you get the three best passages with their sources, the key "
        "sentence in bold.\n"
        "• Use the buttons for more answers; tell me with 👍 / 👎 whether an answer helped.\n"
        "• In groups: <code>/ask your question</code>, or reply to one of my answers.\n"
        "• In any chat: type <code>@{bot} your question</code> and pick a result.\n"
        "• /sources lists the articles I answer from."
    ),
    ask_usage=(
        "Put the question right after the command, e.g.\n<code>/ask উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?</code>"
    ),
    empty="The question is empty. Please send a question in Bengali.",
    too_long="That question is too long ({length} characters). Please keep it under {limit}.",
    no_words="I found no words in that. Please type your question.",
    non_text="I can only read typed questions, not photos, stickers or voice. Please type it.",
    rate_limited="That is a lot of questions in one minute. Please try again in {seconds} seconds.",
    no_answer=(
        "দুঃখিত, এই প্রশ্নের উত্তর আমার সংবাদ-সংগ্রহে খুঁজে পাইনি।\n"
        "Nothing in the news corpus answers this. Try other words, or name the person, place or event."
    ),
    no_answer_because={
        "chatter": "Hello! Send me any question about the news, e.g. When did Putin visit North Korea?",
        "no_words": "The question has no words to search for.",
        "no_match": "No report in the collection shares a word or the topic of the question.",
        "low_coverage": "Some reports share a word or two with it, but none answers the question.",
        "low_similarity": "No passage comes close to the question in meaning.",
        "needs_dense": "The model that reads English questions is off right now; try asking in Bengali.",
        "empty_index": "There are no articles in the collection yet.",
    },
    index_missing="The news corpus is not indexed yet. Please try again a little later.",
    error="Sorry, something went wrong. Please try again in a moment.",
    unknown_command="I don't know that command. See /help.",
    result_gone="These results are no longer available. Please ask again.",
    not_this_chat="This button belongs to an answer in another chat.",
    unknown_button="This button no longer works. Please ask again.",
    feedback_thanks="Thanks! Feedback noted.",
    inline_button="Type a question, e.g. উত্তর কোরিয়া কী বলেছে?",
    inline_too_short="Type a question of at least {min} characters",
    admin_only="Sorry, this command is for the bot's administrators only.",
    reindex_running="A re-index is running right now. Please try again when it has finished.",
    reindex_started="⏳ Re-index started…",
    reindex_progress="⏳ Re-indexing…\n{stage}: {done}/{total}",
    reindex_pace="{rate} passages/s · about {left} left",
    reindex_summary=(
        "✅ Re-index finished ({seconds} s)\n"
        "added: {added} · updated: {updated} · removed: {removed} · unchanged: {unchanged} · "
        "skipped: {skipped}\n"
        "articles: {articles} · passages: {passages}"
    ),
    reindex_skipped_line="• {name}: {reason}",
    reindex_failed="❌ Re-index failed: {reason}",
    reindex_done="✅ Re-index finished.",
    reindex_interrupted="⏹ Re-index interrupted: the bot was stopping. The previous index keeps answering.",
    upload_bad_type="File refused: only {suffixes} files are accepted.",
    upload_too_big="File refused: {size} bytes, the limit is {limit} bytes.",
    upload_refused="File refused: {reason}",
    upload_saved="📄 <code>{name}</code> saved into the corpus; re-indexing…",
    upload_busy="A re-index is running; send the file again when it has finished.",
    upload_kept_both=(
        "📄 A file named <code>{requested}</code> already exists and stays as it is. This one was saved as"
        " <code>{name}</code>; re-indexing…"
    ),
    upload_identical="<code>{name}</code> is already in the corpus with exactly this content; nothing changed.",
    upload_replace_ask=(
        "⚠️ <code>{name}</code> is already in the corpus ({existing} articles), and this file is a new version of it"
        " ({articles} articles).\nReplacing it adds {added}, updates {updated} and <b>removes {removed} articles"
        " from the index</b>.\nReplace the old file?"
    ),
    upload_replace_button="Replace",
    upload_cancel_button="Cancel",
    upload_replaced="📄 <code>{name}</code> replaced; re-indexing…",
    upload_cancelled="Nothing changed: <code>{name}</code> stays as it was.",
    upload_changed="<code>{name}</code> changed in the meantime, so it was not replaced. Send the file again.",
    upload_gone="This upload was decided already, or is more than a day old. Send the file again.",
    status=(
        "<b>Status</b>\n"
        "articles: {articles} · passages: {passages}\n"
        "embedding model: {model}\n"
        "dense search: {dense} — {dense_note}\n"
        "last index: {indexed_at} ({index_seconds} s)\n"
        "uptime: {uptime}\n"
        "version: {version}"
    ),
    status_reindexing="\n⏳ A re-index is running now.",
    stats=(
        "<b>Statistics</b>\n"
        "questions — today ({zone}): {today} · last 7 days: {week}\n"
        "no answer (7 days): {no_answer_rate}\n"
        "feedback: 👍 {up} · 👎 {down}\n"
        "busiest chats (7 days):\n{chats}"
    ),
    stats_chat_line="• {title}: {count}",
    stats_private_line="• private chats ({chats}): {count}",
    sources_header="<b>Indexed articles</b> ({total}) — page {page}/{pages}",
    sources_line="{n}. {title} — {outlet}, {date}",
    sources_empty="No articles are indexed yet.",
    never="never",
    dense_on="on",
    dense_off="off",
    inline_no_answer="No answer found: try other words",
    untitled="Untitled report",
    units=("d", "h", "min"),
    seconds_unit="s",
    last_of_list=" and ",
)


def texts_for(language_code: str | None) -> Texts:
    """English for users whose Telegram language is English, Bengali for everyone else."""
    return EN if (language_code or "").lower().startswith("en") else BN
