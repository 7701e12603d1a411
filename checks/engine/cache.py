"""The content-hash cache in `.arch-check-cache/` of the project.

Keys are content hashes, never mtimes (fresh CI clones have new mtimes). Two files:
`summaries.pickle` (per file: its ModuleSummary) is read only when something must be
re-indexed; `results.pickle` (per file: its violations; per run: the index
fingerprint and project-wide findings; import-contract findings) is all a warm run
reads. Both are written atomically; an unreadable or foreign cache is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import checks

CACHE_FOLDER = ".arch-check-cache"
_FORMAT = 1


def digest(*parts: object) -> str:
    """A short stable hash of `parts` (strings, bytes, or reprs of anything else)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _engine_signature() -> str:
    """Changes whenever arch-check itself changes, so stale results are never reused."""
    package = Path(checks.__file__).parent
    stats = []
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        stats.append((str(path.relative_to(package)), stat.st_size, stat.st_mtime_ns))
    return digest(checks.__version__, sys.version_info[:2], _FORMAT, stats)


class Cache:
    """Per-file and per-run results; a disabled cache (folder None) stores nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._signature = _engine_signature() if folder else ""
        self._results: dict[str, dict[Any, Any]] | None = None
        self._summaries: dict[str, tuple[str, Any]] | None = None
        self._dirty: set[str] = set()

    @property
    def grimp_folder(self) -> str | None:
        """Where grimp keeps its own per-module import cache."""
        return str(self.folder / "grimp") if self.folder else None

    def has(self, table: str, name: str, key: str) -> bool:
        """Whether `name` is stored with this `key` (without unpickling it)."""
        stored = self._table(table).get(name)
        return stored is not None and stored[0] == key

    def get(self, table: str, name: str, key: str) -> Any:
        """The value stored under `name` if it was stored with this `key`, else None."""
        data = self.get_pickled(table, name, key)
        if data is None:
            return None
        try:
            return pickle.loads(data)  # noqa: S301 (our own cache)
        except Exception:
            return None

    def get_pickled(self, table: str, name: str, key: str) -> bytes | None:
        """The stored value as its pickle, without unpickling it."""
        stored = self._table(table).get(name)
        return stored[1] if stored is not None and stored[0] == key else None

    def put(self, table: str, name: str, key: str, value: Any) -> None:
        """Store `value` under `name` with `key`, replacing what was there.

        Values are pickled one by one, so saving after a one-file change does not
        pickle every other file's entry again.
        """
        self.put_pickled(table, name, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_pickled(self, table: str, name: str, key: str, data: bytes) -> None:
        """Store a value already pickled (by a worker process, say) under `name` with `key`."""
        self._table(table)[name] = (key, data)
        self._dirty.add("summaries" if table == "summaries" else "results")

    def keep_only(self, table: str, names: set[str]) -> None:
        """Forget entries of files that no longer exist (if the table was read at all)."""
        loaded = self._summaries if table == "summaries" else self._results
        if loaded is None:
            return
        stored = self._table(table)
        for name in [name for name in stored if name not in names]:
            del stored[name]
            self._dirty.add("summaries" if table == "summaries" else "results")

    def save(self) -> None:
        """Write what changed, atomically; a cache that cannot be written is skipped."""
        if self.folder is None or not self._dirty:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            ignore_file = self.folder / ".gitignore"
            if not ignore_file.exists():
                ignore_file.write_text("*\n", encoding="utf-8")
            if "results" in self._dirty:
                self._write("results", self._results)
            if "summaries" in self._dirty:
                self._write("summaries", self._summaries)
        except OSError:
            return
        self._dirty.clear()

    def _table(self, table: str) -> dict[Any, Any]:
        if table == "summaries":
            if self._summaries is None:
                self._summaries = self._read("summaries") or {}
            return self._summaries
        if self._results is None:
            self._results = self._read("results") or {}
        return self._results.setdefault(table, {})

    def _read(self, name: str) -> dict[Any, Any] | None:
        if self.folder is None:
            return None
        try:
            with open(self.folder / f"{name}.pickle", "rb") as stream:
                signature, payload = pickle.load(stream)  # noqa: S301 (our own cache folder)
        except Exception:
            return None
        if signature != self._signature or not isinstance(payload, dict):
            return None
        return payload

    def _write(self, name: str, payload: object) -> None:
        folder = self.folder or Path()
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((self._signature, payload), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / f"{name}.pickle")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
