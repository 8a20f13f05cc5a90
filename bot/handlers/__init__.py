"""Telegram handlers, one module per area; `routing.update_handlers` lists them in the order they are tried."""
