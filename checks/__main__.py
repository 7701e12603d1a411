"""`python -m checks`: the same as the `arch-check` command."""

import sys

from checks.cli import main

sys.exit(main())
