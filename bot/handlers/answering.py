"""The question path shared by private chats and groups: validate, limit, search off the loop, reply."""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.constants import ChatType

from bot.context import BotContext, is_admin, texts
from bot.messages.texts import Texts
from bot.qids import signed_qid
from bot.question_rules import QuestionProblem, question_problem
from bot.render import answer_keyboard, answer_page, page_count
from bot.store.question_log import QuestionRecord
from retrieval import IndexMissing, SearchResult

log = logging.getLogger(__name__)


def problem_text(problem: QuestionProblem, question: str, max_chars: int, t: Texts) -> str:
    """The reply to a question a chat cannot search."""
    if problem == "too_long":
        return t.too_long.format(length=t.num(len(question)), limit=t.num(max_chars))
    return t.no_words if problem == "no_words" else t.empty


async def answer_question(update: Update, context: BotContext, question: str, *, explicit: bool = True) -> None:
    """Answer `question`, asked in the update's message, with the first page of passages.

    explicit=False (a group reply or mention) stays silent on a question with no words in it. A
    message and its edits are answered at most once.
    """
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    svc, t, question = context.services, texts(update), question.strip()
    if not await _admit(message, user.id, question, context, t, explicit=explicit):
        return
    try:
        result = await asyncio.to_thread(svc.engine.search, question, svc.search_k)
    except IndexMissing:
        await message.reply_text(t.index_missing, do_quote=True)
        return
    if result.no_answer_reason == "chatter" and not explicit:
        return  # "thanks!" in reply to the bot in a group needs no answer
    record = QuestionRecord(
        question=question,
        source="private" if chat.type == ChatType.PRIVATE else "group",
        user_id=user.id,
        chat_id=chat.id,
        chat_type=chat.type,
        chat_title=chat.title,
        message_id=message.message_id,
        elapsed_ms=result.elapsed_ms,
    )
    qid = await svc.store.save_question(
        record, result.hits, qid=signed_qid(svc.qid_key, chat.id), generation=result.generation
    )
    hint = ""
    if not result.hits and is_admin(update, context) and await asyncio.to_thread(svc.engine.corpus_changed):
        hint = t.corpus_changed  # an admin can re-index; everyone else would only be puzzled
    await reply_with_answer(message, qid, question, result, svc.settings.results_per_page, t, hint=hint)


async def _admit(
    message: Message, user_id: int, question: str, context: BotContext, t: Texts, *, explicit: bool
) -> bool:
    """Whether to search: a usable question, a message not answered before, the user within limits."""
    svc = context.services
    max_chars = svc.settings.max_question_chars
    problem = question_problem(question, max_chars=max_chars)
    if problem is not None:
        if explicit or problem != "no_words":
            await message.reply_text(problem_text(problem, question, max_chars, t), do_quote=True)
        return False
    if not await svc.store.claim_message(message.chat_id, message.message_id):
        log.debug("Message %s in chat %s was answered already", message.message_id, message.chat_id)
        return False
    wait = svc.user_limiter.check(user_id)
    if wait:
        await message.reply_text(t.rate_limited.format(seconds=t.num(max(1, round(wait)))), do_quote=True)
        return False
    return True


async def reply_with_answer(
    message: Message, qid: str, question: str, result: SearchResult, per_page: int, t: Texts, *, hint: str = ""
) -> None:
    """Reply with the first page of hits and its buttons, or with why nothing answers (a greeting
    gets a greeting back, not an apology), and `hint` under it (the corpus changed since the index)."""
    hits = result.hits
    if not hits:
        because = t.no_answer_because.get(result.no_answer_reason or "", "")
        text = (
            because if result.no_answer_reason == "chatter" else "\n".join(filter(None, (t.no_answer, because, hint)))
        )
        await message.reply_text(text, do_quote=True)
        return
    pages = page_count(len(hits), per_page)
    await message.reply_text(
        answer_page(question, hits, 0, per_page), reply_markup=answer_keyboard(qid, 0, pages), do_quote=True
    )
