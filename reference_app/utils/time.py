"""Timezone-aware time helpers: the app never handles naive datetimes."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)
