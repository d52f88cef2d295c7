"""`python -m allas_tui`."""

import sys

from allas_tui.cli import main

sys.exit(main())
