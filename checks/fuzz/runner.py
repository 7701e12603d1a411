"""Run the schemathesis engine against an in-process app and collect findings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

import schemathesis
from schemathesis.engine import Status, events, from_schema
from schemathesis.python import asgi

from checks.fuzz import project_checks  # noqa: F401 - importing it registers the checks
from checks.fuzz.loading import ASGIApp, behind_server

BODY_EXCERPT = 300


@dataclass(frozen=True)
class Options:
    """What to run; mirrors the command-line options."""

    headers: dict[str, str] = field(default_factory=dict)
    max_examples: int = 50
    stateful: bool = True
    seed: int | None = None
    include_paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    exclude_checks: tuple[str, ...] = ()
    schema_path: str = "/openapi.json"


@dataclass(frozen=True)
class Finding:
    """One distinct failure: which operation, which check, and how to reproduce it."""

    operation: str
    check: str
    title: str
    message: str
    curl: tuple[str, ...]
    status: int | None
    body: str


@dataclass
class Result:
    """All findings of a run, plus what was tested."""

    operations: int = 0
    tested: list[str] = field(default_factory=list)
    # Scenarios that ran (not skipped) per phase: "coverage", "fuzzing", "stateful", ...
    scenarios: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seed: int | None = None


class LoadError(Exception):
    """The app's schema could not be loaded (or its lifespan failed to start)."""


AuthHook = Callable[[Any], dict[str, str]]


def _config(options: Options) -> schemathesis.Config:
    data: dict[str, Any] = {
        "generation": {"max-examples": options.max_examples},
        "phases": {"stateful": {"enabled": options.stateful}},
        "headers": options.headers,
        # One failure must not hide the next: keep generating after the first.
        "continue-on-failure": True,
        "checks": {name: {"enabled": False} for name in options.exclude_checks},
    }
    if options.seed is not None:
        data["seed"] = options.seed
    return schemathesis.Config.from_dict(data)


def load_schema(app: ASGIApp, options: Options) -> Any:
    """Load the OpenAPI schema from the app (this starts its lifespan) and filter it."""
    try:
        schema = schemathesis.openapi.from_asgi(options.schema_path, app, config=_config(options))
    except Exception as exc:
        raise LoadError(f"cannot load the schema from {options.schema_path}: {exc}") from exc
    if options.include_paths:
        schema = schema.include(path_regex="|".join(f"(?:{p})" for p in options.include_paths))
    for pattern in options.exclude_paths:
        schema = schema.exclude(path_regex=pattern)
    return schema


def _response_of(recorder: Any, case_id: str) -> tuple[int | None, str]:
    interaction = recorder.interactions.get(case_id)
    if interaction is None or interaction.response is None:
        return None, ""
    body = interaction.response.content.decode("utf-8", "replace")
    if len(body) > BODY_EXCERPT:
        body = body[:BODY_EXCERPT] + "..."
    return interaction.response.status_code, body


def _findings(recorder: Any, label: str | None) -> list[Finding]:
    found = []
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            if node.failure_info is None:
                continue
            failure = node.failure_info.failure
            steps = node.failure_info.steps
            curl = tuple(step.curl for step in steps) or (node.failure_info.code_sample,)
            status, body = _response_of(recorder, failure.case_id or case_id)
            found.append(
                Finding(
                    operation=failure.operation or label or "?",
                    check=node.name,
                    title=failure.title,
                    message=failure.message.strip(),
                    curl=curl,
                    status=status,
                    body=body,
                )
            )
    return found


class Progress:
    """`phase: done/total` on a terminal; silent otherwise."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self.stream = stream
        self.enabled = stream.isatty()
        self.done = 0

    def update(self, event: events.EngineEvent) -> None:
        """Count finished scenarios of the current phase."""
        if not self.enabled:
            return
        if isinstance(event, events.PhaseStarted):
            self.done = 0
        elif isinstance(event, events.ScenarioFinished) and event.is_test_scenario:
            self.done += 1
            done = min(self.done, self.total)
            self.stream.write(f"\r\x1b[K{event.phase.value}: {done}/{self.total} operations")
            self.stream.flush()
        elif isinstance(event, events.EngineFinished):
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def run(
    app: ASGIApp,
    options: Options,
    *,
    auth: AuthHook | None = None,
    progress: TextIO | None = None,
) -> Result:
    """Fuzz `app` and return the distinct findings; the app's lifespan runs throughout."""
    app = behind_server(app)
    try:
        schema = load_schema(app, options)
        if auth is not None:
            with asgi.get_client(app) as client:
                extra = auth(client)
            schema.config.headers = {**(schema.config.headers or {}), **extra}
        return _execute(schema, progress)
    finally:
        asgi.shutdown_lifespans()


def _execute(schema: Any, progress: TextIO | None) -> Result:
    result = Result(operations=schema.statistic.operations.selected, seed=schema.config.seed)
    meter = Progress(result.operations, progress or sys.stderr)
    seen: set[tuple[str, str, str]] = set()
    for event in from_schema(schema).execute():
        meter.update(event)
        if isinstance(event, events.ScenarioFinished):
            if event.is_test_scenario and event.status != Status.SKIP:
                phase = event.phase.value
                result.scenarios[phase] = result.scenarios.get(phase, 0) + 1
                if event.label and event.label not in result.tested:
                    result.tested.append(event.label)
            for finding in _findings(event.recorder, event.label):
                key = (finding.operation, finding.check, finding.title)
                if key not in seen:
                    seen.add(key)
                    result.findings.append(finding)
        elif isinstance(event, events.NonFatalError):
            result.errors.append(f"{event.label}: {event.info.title}: {event.info.message}")
        elif isinstance(event, events.FatalError):
            result.errors.append(f"internal error: {event.exception}")
    return result
