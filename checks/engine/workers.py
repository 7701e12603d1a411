"""Parse and check files, in this process or in worker processes.

Each worker owns a fixed shard of files: it parses them once, keeps the trees in
memory and sends back only the small summaries, pickled (phase 1); it then receives
the other files' summaries as they were pickled, builds the same project index as
the parent, and runs the per-file rules on the files the parent asks for (phase 3),
parsing any extra files it is given first. Trees never cross a pipe, and nothing is
pickled twice: the parent stores the workers' pickles in its cache as they come.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from checks.analysis.model import ModuleSummary, Violation
from checks.engine.discovery import SourceFile

RuleSpecs = Sequence[tuple[type, Mapping[str, object]]]


@dataclass(frozen=True, slots=True)
class FileJob:
    """A file to parse, with its bytes (already read to hash them)."""

    source: SourceFile
    data: bytes


def _parse(job: FileJob) -> Any:
    from checks.analysis.parse import parse_file

    source = job.source
    return parse_file(
        job.data,
        source.path,
        source.module,
        source.layer,
        source.is_package,
        source.is_composition_root,
    )


def _check(parsed: Any, index: Any, rules: RuleSpecs) -> list[Violation]:
    from checks.rules.run import check_file

    if parsed.tree is None:
        return []
    return check_file(parsed, index, rules)


def _pickle(summary: ModuleSummary) -> bytes:
    return pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickled(pickled: Mapping[str, bytes]) -> dict[str, ModuleSummary]:
    return {path: pickle.loads(data) for path, data in pickled.items()}  # noqa: S301 (ours)


def _index(summaries: Mapping[str, ModuleSummary]) -> Any:
    from checks.analysis.index import ProjectIndex

    return ProjectIndex.of_files(summaries)


@contextlib.contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while parsed trees are held in memory.

    Every libcst tree is kept until its file is checked, and each collection walks
    them all again: a cold run on 100,000 lines takes about 30% less CPU without it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class InProcess:
    """Parse and check in this process: for one job or a small project."""

    def __init__(self, jobs: Sequence[FileJob]) -> None:
        self._parsed = {job.source.path: _parse(job) for job in jobs}

    def summaries(self) -> dict[str, ModuleSummary]:
        """Phase 1: the summaries of the files given at start."""
        return {path: parsed.summary for path, parsed in self._parsed.items()}

    def pickled(self) -> dict[str, bytes]:
        """The same summaries, pickled (for the cache)."""
        return {path: _pickle(parsed.summary) for path, parsed in self._parsed.items()}

    def check(
        self,
        index: Any,
        summaries: Mapping[str, bytes | None],
        rules: RuleSpecs,
        paths: Sequence[str],
        extra: Sequence[FileJob],
    ) -> dict[str, list[Violation]]:
        """Phase 3: violations of `paths` (files given at start) and of `extra` files.

        `summaries` (every file's, pickled) is what a worker builds `index` from; this
        process has the index already.
        """
        for job in extra:
            self._parsed[job.source.path] = _parse(job)
        wanted = [*paths, *(job.source.path for job in extra)]
        return {path: _check(self._parsed[path], index, rules) for path in wanted}

    def close(self) -> None:
        """Release the trees."""
        self._parsed.clear()


# A worker's parsed trees, kept until the process ends: freeing millions of nodes one
# by one would only delay the exit the parent waits for.
_kept: list[InProcess] = []


def _serve(connection: Any, jobs: Sequence[FileJob]) -> None:
    """A worker's whole life: phase 1, then phase 3 if the parent asks."""
    gc.disable()  # see without_gc; the process ends with the run
    try:
        local = InProcess(jobs)
        _kept.append(local)
        connection.send(("ok", local.pickled()))
        request = connection.recv()
        if request is None:
            return
        others, rules, paths, extra = request
        index = _index({**_unpickled(others), **local.summaries()})
        connection.send(("ok", local.check(index, {}, rules, paths, extra)))
    except Exception as error:  # a worker must report, not die silently
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


class WorkerError(RuntimeError):
    """A worker process failed; the message names the exception."""


class Workers:
    """Fixed shards of files on `len(shards)` worker processes."""

    def __init__(self, shards: Sequence[Sequence[FileJob]]) -> None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        context = multiprocessing.get_context(method)
        self._connections = []
        self._processes = []
        self._owner: dict[str, int] = {}
        self._pickled: dict[str, bytes] = {}
        self._busy = True  # a reply is due from every worker
        for number, shard in enumerate(shards):
            parent_end, child_end = context.Pipe()
            process = context.Process(target=_serve, args=(child_end, shard), daemon=True)
            process.start()
            child_end.close()
            self._connections.append(parent_end)
            self._processes.append(process)
            for job in shard:
                self._owner[job.source.path] = number

    def summaries(self) -> dict[str, ModuleSummary]:
        """Phase 1, gathered from every worker."""
        for connection in self._connections:
            self._pickled.update(self._receive(connection))
        self._busy = False
        return _unpickled(self._pickled)

    def pickled(self) -> dict[str, bytes]:
        """The summaries as the workers pickled them."""
        return self._pickled

    def check(
        self,
        index: Any,
        summaries: Mapping[str, bytes | None],
        rules: RuleSpecs,
        paths: Sequence[str],
        extra: Sequence[FileJob],
    ) -> dict[str, list[Violation]]:
        """Phase 3: each worker checks its own files; extra files are dealt round-robin.

        Each worker gets the pickled summaries of the files it did not parse and builds
        `index` itself: cheaper than pickling the index for every worker.
        """
        count = len(self._connections)
        own: list[list[str]] = [[] for _ in range(count)]
        for path in paths:
            own[self._owner[path]].append(path)
        dealt: list[list[FileJob]] = [[] for _ in range(count)]
        for position, job in enumerate(extra):
            dealt[position % count].append(job)
        self._busy = True
        for number, connection in enumerate(self._connections):
            others = {p: data for p, data in summaries.items() if self._owner.get(p) != number}
            connection.send((others, rules, own[number], dealt[number]))
        merged: dict[str, list[Violation]] = {}
        for connection in self._connections:
            merged.update(self._receive(connection))
        self._busy = False
        return merged

    def close(self) -> None:
        """Release workers that wait for phase 3 and reap them all; stop any still at work.

        Workers are still at work when the run failed part way (a bad import-linter
        config, say): their results are of no use, so they are stopped at once.
        """
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.send(None)
            connection.close()
        for process in self._processes:
            if not self._busy:
                process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()

    @staticmethod
    def _receive(connection: Any) -> Any:
        try:
            status, payload = connection.recv()
        except EOFError:
            raise WorkerError("a worker process exited unexpectedly") from None
        if status != "ok":
            raise WorkerError(payload)
        return payload


def shard(jobs: Sequence[FileJob], count: int) -> list[list[FileJob]]:
    """Split jobs into `count` shards of about equal size in bytes."""
    shards: list[list[FileJob]] = [[] for _ in range(count)]
    sizes = [0] * count
    for job in sorted(jobs, key=lambda job: len(job.data), reverse=True):
        smallest = sizes.index(min(sizes))
        shards[smallest].append(job)
        sizes[smallest] += len(job.data)
    return shards


def _run_in_child(connection: Any, function: Callable[..., Any], arguments: tuple) -> None:
    try:
        connection.send(("ok", function(*arguments)))
    except Exception as error:  # raised again in the parent
        connection.send(("error", error))
    finally:
        connection.close()


class Forked:
    """`function(*arguments)` in a forked process while this one goes on.

    Forked, not spawned: a spawned child imports the main module again, which a
    script read on stdin does not have. Where fork is not the safe default (outside
    Linux), or when `enabled` is false, the function runs in this process on
    `result()`. An exception in the child is raised again by `result()`.
    """

    def __init__(self, function: Callable[..., Any], *arguments: Any, enabled: bool) -> None:
        self._function, self._arguments = function, arguments
        self._connection: Any = None
        if enabled and sys.platform.startswith("linux"):
            context = multiprocessing.get_context("fork")
            self._connection, child_end = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_run_in_child, args=(child_end, function, arguments), daemon=True
            )
            self._process.start()
            child_end.close()

    def result(self) -> Any:
        """The function's return value (waiting for the child if there is one)."""
        if self._connection is None:
            return self._function(*self._arguments)
        try:
            status, payload = self._connection.recv()
        except EOFError:
            raise WorkerError("a background process exited unexpectedly") from None
        finally:
            self.close()
        if status != "ok":
            raise payload
        return payload

    def close(self) -> None:
        """Stop the child if it is still at work (the run failed); reap it."""
        if self._connection is None:
            return
        self._connection.close()
        self._connection = None
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
