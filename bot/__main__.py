"""`python -m bot` is the same as the `sondhani` command."""

from bot.cli.main import main

raise SystemExit(main())
