"""`python -m checks`: the same as the `arch-check` command."""

import sys

from checks.cli import main

if __name__ == "__main__":  # not when multiprocessing's spawn imports the main module
    sys.exit(main())
