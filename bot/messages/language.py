"""Which language a user reads the interface in, from Telegram's language_code."""

from __future__ import annotations

from bot.messages.bengali import BN
from bot.messages.english import EN
from bot.messages.texts import Texts


def texts_for(language_code: str | None) -> Texts:
    """English for users whose Telegram language is English, Bengali for everyone else."""
    return EN if (language_code or "").lower().startswith("en") else BN
