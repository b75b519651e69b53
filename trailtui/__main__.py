"""`python -m trailtui`."""

from trailtui.cli import main

raise SystemExit(main())
