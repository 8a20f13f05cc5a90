"""Which questions are searched: one rule for private chats, groups, inline mode and the CLI.

Telegram-free, so `sondhani ask` can use it without importing python-telegram-bot.
"""

from __future__ import annotations

from typing import Literal

# Why a question is not searched. Each path words these for its users: private and group chats reply with
# the reason (a group mention with no words gets silence), inline mode shows a hint button.
QuestionProblem = Literal["empty", "too_short", "too_long", "no_words"]


def question_problem(question: str, *, max_chars: int | None = None, min_chars: int = 1) -> QuestionProblem | None:
    """Why `question` (stripped) cannot be searched, or None when it can; max_chars=None: any length."""
    if not question:
        return "empty"
    if len(question) < min_chars:
        return "too_short"
    if max_chars is not None and len(question) > max_chars:
        return "too_long"
    if not any(ch.isalnum() for ch in question):
        return "no_words"
    return None
