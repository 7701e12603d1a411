"""arch-check: an architecture linter for FastAPI backends.

Importing this package must stay cheap: `arch-check --version` runs on every hook install.
"""

__version__ = "0.1.0"
