"""Every user-facing string, in Bengali and English.

Answers (passages and citations) are always in Bengali; the surrounding texts follow the user's
language_code ("en..." gets English, everyone else Bengali; bot.messages.language). Every string here is
valid Telegram HTML; callers `html.escape` whatever they put into the placeholders.

The strings a user's language chooses are one `Texts` each (bot.messages.texts), one module per
language (bot.messages.bengali, bot.messages.english), so a translator reads one file; the few that are
always Bengali have their own modules (bot.messages.answer_labels, bot.messages.commands).
"""
