"""`arch-check fuzz MODULE:APP`: argument parsing and exit status."""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from typing import Any, NoReturn

USAGE_ERROR = 2
MISSING_EXTRA = "arch-check fuzz needs schemathesis: pip install 'arch-check[fuzz]'"


class UsageError(Exception):
    """A bad option or target: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _header(value: str) -> tuple[str, str]:
    name, sep, content = value.partition(":")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected 'Name: value', got {value!r}")
    return name.strip(), content.strip()


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"invalid regex {value!r}: {exc}") from None
    return value


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    """Build the option parser of `arch-check fuzz`."""
    parser = _Parser(
        prog="arch-check fuzz",
        description="Fuzz an ASGI app in process with schemathesis, from its OpenAPI schema.",
        epilog="Reproducing curl commands target http://testserver: point them at your server.",
    )
    parser.add_argument("app", metavar="MODULE:APP", help="the ASGI app, e.g. myproject.main:app")
    parser.add_argument("--factory", action="store_true", help="MODULE:APP is a factory to call")
    parser.add_argument("--app-dir", default=".", help="put DIR first on sys.path (default: .)")
    parser.add_argument(
        "-H", "--header", action="append", type=_header, default=[], help="'Name: value' to send"
    )
    parser.add_argument(
        "--auth",
        metavar="MODULE:FUNC",
        help="returns headers (e.g. Authorization); called with an HTTP client for the app if it "
        "takes an argument, after the app's lifespan started",
    )
    parser.add_argument(
        "--max-examples", type=_positive, default=50, metavar="N", help="per operation (50)"
    )
    parser.add_argument(
        "--stateful",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="walk linked operations (create -> read -> update -> delete); on by default",
    )
    parser.add_argument("--seed", type=int, help="reproduce a run (its seed is in the summary)")
    parser.add_argument(
        "--include-path",
        action="append",
        type=_regex,
        default=[],
        metavar="REGEX",
        help="fuzz only paths matching REGEX (repeatable)",
    )
    parser.add_argument(
        "--exclude-path",
        action="append",
        type=_regex,
        default=[],
        metavar="REGEX",
        help="skip paths matching REGEX (repeatable)",
    )
    parser.add_argument(
        "--exclude-check",
        action="append",
        default=[],
        metavar="NAME",
        help="turn a check off, e.g. has_request_id (repeatable)",
    )
    parser.add_argument(
        "--schema-path", default="/openapi.json", help="where the app serves its OpenAPI schema"
    )
    parser.add_argument("--format", choices=("text", "json", "junit"), default="text")
    return parser


def main(argv: list[str]) -> int:
    """Run the command; 0 clean, 1 failures found, 2 usage or import error."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"arch-check fuzz: error: {exc}", file=sys.stderr)  # noqa: T201
        return USAGE_ERROR
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        print(MISSING_EXTRA, file=sys.stderr)  # noqa: T201
        return USAGE_ERROR
    from checks.fuzz import loading, report, runner

    try:
        app = loading.load_app(args.app, factory=args.factory, app_dir=args.app_dir)
        hook = loading.import_object(args.auth, what="--auth") if args.auth else None
        if args.exclude_check:
            _validate_checks(args.exclude_check)
        options = runner.Options(
            headers=dict(args.header),
            max_examples=args.max_examples,
            stateful=args.stateful,
            seed=args.seed,
            include_paths=tuple(args.include_path),
            exclude_paths=tuple(args.exclude_path),
            exclude_checks=tuple(args.exclude_check),
            schema_path=args.schema_path,
        )
        result = runner.run(app, options, auth=_auth_hook(hook) if hook else None)
    except (loading.TargetError, runner.LoadError, UsageError) as exc:
        print(f"arch-check fuzz: error: {exc}", file=sys.stderr)  # noqa: T201
        return USAGE_ERROR
    sys.stdout.write(report.RENDERERS[args.format](result))
    if args.format != "text":
        print(report.summary_line(result), file=sys.stderr)  # noqa: T201
    return 1 if result.findings or result.errors else 0


def _validate_checks(names: list[str]) -> None:
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    known = set(CHECKS.get_all_names())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown check {unknown[0]!r}; known: {', '.join(sorted(known))}")


def _auth_hook(hook: Any) -> Any:
    """Adapt a zero- or one-argument hook; its failure is a usage error, not a traceback."""
    if not callable(hook):
        raise UsageError("--auth must name a function")
    takes_client = bool(inspect.signature(hook).parameters)

    def call(client: Any) -> dict[str, str]:
        try:
            headers = hook(client) if takes_client else hook()
        except Exception as exc:
            raise UsageError(f"--auth hook failed: {type(exc).__name__}: {exc}") from exc
        if not isinstance(headers, dict):
            kind = type(headers).__name__
            raise UsageError(f"--auth hook must return a dict of headers, got {kind}")
        return {str(key): str(value) for key, value in headers.items()}

    return call
