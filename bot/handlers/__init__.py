"""Telegram handlers, one module per area; `bot.app.build_application` registers them all."""
