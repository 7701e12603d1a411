"""A status line on stderr while a long run works, for people watching a terminal.

It appears only after a delay (short runs, the pre-commit case, print nothing), is
redrawn in place, and is erased before the report is printed. The engine reports no
per-file progress yet, so it shows the elapsed time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

DELAY_SECONDS = 1.0
INTERVAL_SECONDS = 0.25
_SPINNER = "|/-\\"


@contextmanager
def progress(stream: TextIO, label: str, enabled: bool) -> Iterator[None]:
    """Show `label` with a spinner and elapsed seconds on `stream` while the block runs."""
    if not enabled:
        yield
        return
    done = threading.Event()
    drawn = threading.Event()
    start = time.monotonic()

    def draw() -> None:
        if done.wait(DELAY_SECONDS):
            return
        tick = 0
        while not done.is_set():
            elapsed = time.monotonic() - start
            stream.write(f"\r{label} {_SPINNER[tick % 4]} {elapsed:.0f}s")
            stream.flush()
            drawn.set()
            tick += 1
            done.wait(INTERVAL_SECONDS)

    thread = threading.Thread(target=draw, name="arch-check-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        if drawn.is_set():
            stream.write("\r\033[K")
            stream.flush()
