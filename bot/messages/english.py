"""The interface in English, for users whose Telegram language is English: every reply in one language
(a no-answer too). The passages of an answer, and its labels, stay Bengali like the articles."""

from __future__ import annotations

from bot.messages.texts import Texts

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
        "• /sources lists the articles I answer from.\n"
        "• /latest lists the newest articles; <code>/latest topic</code> the newest about a topic."
    ),
    ask_usage=(
        "Put the question right after the command, e.g.\n<code>/ask উত্তর কোরিয়া ওনসানের বৈঠকটিকে কোন নামে বর্ণনা করে?</code>"
    ),
    empty="The question is empty. Please send a question in Bengali.",
    too_long="That question is too long ({length} characters). Please keep it under {limit}.",
    no_words="I found no words in that. Please type your question.",
    non_text="I can only read typed questions, not photos, stickers or voice. Please type it.",
    rate_limited="That is a lot of questions in one minute. Please try again in {seconds} seconds.",
    no_answer="Sorry, nothing in the news corpus answers this. Try other words, or name the person, place or event.",
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
    no_answer_short="No answer found",
    also_reported="Also reported by: {outlets}",
    latest_header="<b>Latest articles</b>",
    latest_topic_header="<b>Latest articles: {topic}</b>",
    latest_empty="No indexed article is about that.",
    latest_line="{n}. {title} — {meta}",
    corpus_changed=(
        "⚠️ Files were added, changed or removed in the corpus since the index was built: new articles"
        " cannot be found yet. Send /reindex."
    ),
    corpus_changed_cli="The corpus changed since the index was built; run `sondhani index` to search new articles.",
    remove_usage="Give the id of the article to remove: <code>/remove ID</code> (/sources shows the ids).",
    remove_ask=(
        "⚠️ Remove «{label}» (<code>{doc_id}</code>, file <code>{file}</code>) from the corpus?\n"
        "The file is not deleted: it is moved to <code>removed/</code> in the state directory, then the index is"
        " updated."
    ),
    remove_button="Remove",
    remove_cancelled="Nothing changed: «{label}» stays in the corpus.",
    remove_done="🗑 «{label}» was taken out of the corpus (<code>{moved}</code>); re-indexing…",
    remove_refused="Not removed: {reason}",
    remove_gone="This removal was decided already, or the request is old or unknown. Send /remove again.",
    units=("d", "h", "min"),
    seconds_unit="s",
    last_of_list=" and ",
)
