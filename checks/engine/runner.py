"""One run: discover, hash, reuse the cache, parse what changed, index, check, report.

Phase 1 parses files whose summary is not cached; the parent then builds the
project index from all summaries; phase 3 runs the per-file rules on files whose
violations are not cached for this content, index fingerprint and rule config.
A warm run (nothing changed) reads only the results cache and parses nothing.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import checks
from checks.analysis.model import ModuleSummary, Violation
from checks.engine.cache import Cache, digest
from checks.engine.catalog import rule_classes
from checks.engine.config import Config
from checks.engine.contracts import ContractResult, check_contracts, own_contracts_file
from checks.engine.discovery import SourceFile, discover
from checks.engine.result import CheckResult, RunStats
from checks.engine.selection import Selection
from checks.engine.suppressions import apply_suppressions
from checks.engine.workers import FileJob, Forked, InProcess, Workers, shard, without_gc

ENGINE_CODES = frozenset({"ARC000", "ARC001", "ARC002", "ARC900"})
# Below this many files to parse, worker start-up costs more than it saves.
MIN_FILES_FOR_WORKERS = 40


@dataclass
class _File:
    source: SourceFile
    data: bytes
    summary_key: str


def run(
    config: Config,
    selection: Selection,
    cache: Cache,
    *,
    scope: Sequence[str] = (),
    jobs: int | None = None,
) -> CheckResult:
    """Check the project; `scope` (project-relative paths) narrows the report."""
    files = [_read(config, source) for source in discover(config)]
    in_scope = [f for f in files if _in_scope(f.source.path, scope)]
    options = {
        rule.code: {**rule.default_options, **config.rule_options.get(rule.code, {})}
        for rule in selection.rules
        if rule.code not in ENGINE_CODES
    }
    rules_key = digest(sorted((code, sorted(given.items())) for code, given in options.items()))

    stats = RunStats()
    contracts = _start_contracts(config, files, cache, selection, jobs, stats)
    try:
        violations = _per_file_violations(files, in_scope, options, rules_key, cache, jobs, stats)
        outside_graph: list[str] = []
        if contracts is not None:
            contract_result = contracts.result()
            violations.extend(contract_result.violations)
            outside_graph = contract_result.outside_graph
    finally:
        if contracts is not None:
            contracts.close()
    known_paths = {f.source.path for f in files}
    cache.keep_only("violations", known_paths)
    cache.keep_only("summaries", known_paths)
    cache.save()

    reported = _finish(config, files, violations, selection, scope)
    return CheckResult(
        violations=reported,
        files=len(in_scope),
        unmatched_modules=sorted(f.source.module for f in files if f.source.layer is None),
        outside_graph=outside_graph,
        stats=stats,
        references={rule.code: rule.reference for rule in selection.rules},
    )


def _per_file_violations(
    files: list[_File],
    in_scope: list[_File],
    options: dict[str, dict[str, object]],
    rules_key: str,
    cache: Cache,
    jobs: int | None,
    stats: RunStats,
) -> list[Violation]:
    """Findings of the libcst rules (per file and project-wide), from the cache or fresh."""
    run_key = digest(rules_key, [f.summary_key for f in files])
    fingerprint, violations = cache.get("runs", "last", run_key) or (None, None)
    pending: list[_File] = []
    if fingerprint is not None:
        pending = _collect_cached(in_scope, cache, fingerprint, rules_key, violations)
    if fingerprint is not None and not pending:
        return violations
    per_file_rules = [(rule, options[rule.code]) for rule in rule_classes(set(options))]
    to_parse = [FileJob(f.source, f.data) for f in files if not _has_summary(f, cache)]
    with without_gc():
        pool = _start(to_parse, jobs)
        try:
            parsed = pool.summaries()
            stats.parsed += len(parsed)
            fresh = pool.pickled()
            for file in files:
                if file.source.path in fresh:
                    path = file.source.path
                    cache.put_pickled("summaries", path, file.summary_key, fresh[path])
            summaries = _all_summaries(files, parsed, cache)
            index, fingerprint, violations = _index(summaries, per_file_rules)
            stats.indexed = True
            cache.put("runs", "last", run_key, (fingerprint, violations))
            pending = _collect_cached(in_scope, cache, fingerprint, rules_key, violations)
            pickled = {
                f.source.path: cache.get_pickled("summaries", f.source.path, f.summary_key)
                for f in files
            }
            found = _check(
                pending, summaries, pickled, set(parsed), index, per_file_rules, pool, jobs, stats
            )
        finally:
            pool.close()
    for file in pending:
        key = digest(file.summary_key, fingerprint, rules_key)
        cache.put("violations", file.source.path, key, found[file.source.path])
        violations.extend(found[file.source.path])
    return violations


def _read(config: Config, source: SourceFile) -> _File:
    data = (config.project_dir / source.path).read_bytes()
    content = hashlib.blake2b(data, digest_size=16).hexdigest()
    identity = (
        source.path,
        source.module,
        source.layer,
        source.is_package,
        source.is_composition_root,
    )
    return _File(source, data, digest(checks.__version__, content, identity))


def _in_scope(path: str, scope: Sequence[str]) -> bool:
    return not scope or any(not s or path == s or path.startswith(f"{s}/") for s in scope)


def _start(jobs_to_parse: list[FileJob], jobs: int | None) -> InProcess | Workers:
    """Parse in process for one job or few files, else on worker processes."""
    count = min(jobs or os.cpu_count() or 1, len(jobs_to_parse))
    if count <= 1 or len(jobs_to_parse) < MIN_FILES_FOR_WORKERS:
        return InProcess(jobs_to_parse)
    return Workers(shard(jobs_to_parse, count))


def _has_summary(file: _File, cache: Cache) -> bool:
    return cache.has("summaries", file.source.path, file.summary_key)


def _all_summaries(
    files: list[_File], parsed: dict[str, ModuleSummary], cache: Cache
) -> dict[str, ModuleSummary]:
    """Every file's summary: parsed in this run, or stored by an earlier one."""
    return {
        f.source.path: parsed.get(f.source.path)
        or cache.get("summaries", f.source.path, f.summary_key)
        for f in files
    }


def _collect_cached(
    in_scope: list[_File], cache: Cache, fingerprint: str, rules_key: str, into: list[Violation]
) -> list[_File]:
    """Add cached violations of in-scope files to `into`; return the files without any."""
    pending = []
    for file in in_scope:
        found = cache.get(
            "violations", file.source.path, digest(file.summary_key, fingerprint, rules_key)
        )
        if found is None:
            pending.append(file)
        else:
            into.extend(found)
    return pending


def _index(
    summaries: dict[str, ModuleSummary], per_file_rules: list[tuple[type, dict[str, object]]]
) -> tuple[object, str, list[Violation]]:
    """The project index, its fingerprint, and the project-wide rules' findings."""
    from checks.analysis.index import ProjectIndex

    index = ProjectIndex.build(summaries[path] for path in sorted(summaries))
    project_violations = [
        violation
        for rule, options in per_file_rules
        for violation in rule.check_project(index, options)
    ]
    return index, index.fingerprint(), project_violations


def _check(
    pending: list[_File],
    summaries: dict[str, ModuleSummary],
    pickled: dict[str, bytes | None],
    held: set[str],
    index: object,
    rules: list[tuple[type, dict[str, object]]],
    pool: InProcess | Workers,
    jobs: int | None,
    stats: RunStats,
) -> dict[str, list[Violation]]:
    """Per-file rules on `pending`; files the pool did not parse in phase 1 are parsed now.

    `pickled` holds every file's summary as stored in the cache, for worker processes.
    """
    found: dict[str, list[Violation]] = {}
    own: list[str] = []
    extra: list[FileJob] = []
    for file in pending:
        summary = summaries[file.source.path]
        if summary.syntax_error is not None:
            found[file.source.path] = [_syntax_error(file.source, summary)]
        elif file.source.path in held:
            own.append(file.source.path)
        else:
            extra.append(FileJob(file.source, file.data))
    stats.parsed += len(extra)
    stats.checked += len(own) + len(extra)
    spill = isinstance(pool, InProcess) and len(extra) >= MIN_FILES_FOR_WORKERS
    found |= pool.check(index, pickled, rules, own, [] if spill else extra)
    if spill:
        helpers = _start(extra, jobs)
        try:
            helpers.summaries()
            found |= helpers.check(index, pickled, rules, [job.source.path for job in extra], [])
        finally:
            helpers.close()
    return found


def _syntax_error(source: SourceFile, summary: ModuleSummary) -> Violation:
    message, line, column = summary.syntax_error or ("syntax error", 1, 1)
    return Violation(
        code="ARC000",
        name="syntax-error",
        path=source.path,
        line=line,
        column=column,
        end_line=line,
        end_column=column,
        message=f"cannot parse this file: {message}",
        layer=source.layer,
    )


def _start_contracts(
    config: Config,
    files: list[_File],
    cache: Cache,
    selection: Selection,
    jobs: int | None,
    stats: RunStats,
) -> _Contracts | None:
    """Import-contract findings, cached on every file's content and the contract config.

    On a cache miss the import graph is built and checked in a forked process (unless
    jobs is 1) while this one parses and checks files. None when neither ARC001 nor
    ARC002 is selected. A process that has already used grimp (the engine API called
    again) checks them itself: grimp's Rust thread pool does not survive a fork, so a
    forked child would wait for its threads forever.
    """
    if not selection.codes & {"ARC001", "ARC002"}:
        return None
    own_file = own_contracts_file(config.project_dir)
    key = digest(
        [(f.source.path, f.summary_key) for f in files],
        config.type_checking_imports,
        sorted(config.forbidden_packages.items()),
        own_file.read_bytes() if own_file else b"",
        _other_packages_signature(config, own_file),
    )
    cached = cache.get("contracts", "last", key)
    if cached is not None:
        return _Contracts(None, cache, key, cached)
    stats.contracts_checked = True
    sources = [f.source for f in files]
    fork = jobs != 1 and "grimp" not in sys.modules
    job = Forked(check_contracts, config, sources, cache.grimp_folder, enabled=fork)
    return _Contracts(job, cache, key)


@dataclass
class _Contracts:
    """A run's import-contract findings: from the cache, or from `job` (then cached)."""

    job: Forked | None
    cache: Cache
    key: str
    found: ContractResult | None = None

    def result(self) -> ContractResult:
        if self.found is None:
            self.found = cast("Forked", self.job).result()
            self.cache.put("contracts", "last", self.key, self.found)
        return self.found

    def close(self) -> None:
        """Stop the job if the run ended without its result."""
        if self.job is not None:
            self.job.close()


def _other_packages_signature(config: Config, own_file: object) -> list[tuple[str, int, int]]:
    """Sizes and mtimes of the project's other packages, which its own contracts may cover."""
    if own_file is None:
        return []
    signature = []
    for package in sorted(config.project_dir.iterdir()):
        if package == config.root_dir or not (package / "__init__.py").is_file():
            continue
        for path in sorted(package.rglob("*.py")):
            stat = path.stat()
            signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return signature


def _finish(
    config: Config,
    files: list[_File],
    violations: list[Violation],
    selection: Selection,
    scope: Sequence[str],
) -> list[Violation]:
    """Apply selection, per-file-ignores, suppressions (with ARC900) and the scope."""
    data = {f.source.path: f.data for f in files}
    layers = {f.source.path: f.source.layer for f in files}
    root_prefix = config.root.rstrip("/") + "/"
    by_path: dict[str, list[Violation]] = {}
    for violation in violations:
        if violation.path.startswith(root_prefix) and violation.path not in data:
            continue  # an excluded file, seen by import-linter
        if _in_scope(violation.path, scope) and selection.applies(violation.code, violation.path):
            by_path.setdefault(violation.path, []).append(violation)
    for file in files:
        if _in_scope(file.source.path, scope):
            by_path.setdefault(file.source.path, [])
    reported: list[Violation] = []
    for path, found in by_path.items():
        source = data.get(path)
        if source is None:
            source = (config.project_dir / path).read_bytes()
        kept, unused = apply_suppressions(
            path,
            found,
            source,
            lambda code, p=path: selection.ran(code, p),
            layers.get(path),
        )
        reported.extend(kept)
        reported.extend(v for v in unused if selection.applies("ARC900", path))
    return sorted(set(reported), key=Violation.sort_key)
