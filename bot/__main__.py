"""``python -m bot`` does the same as the ``lianzheng`` console script."""

from bot.cli.main import main

raise SystemExit(main())
