"""Find, read and validate `[tool.arch-check]` in pyproject.toml.

Every problem becomes a `ConfigError` whose text is the one line a user sees:
`pyproject.toml: tool.arch-check.<key>: <problem>`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from checks.engine.layers import DEFAULT_LAYER_PATTERNS, LAYER_NAMES, forbidden_packages

SECTION = "tool.arch-check"
DEFAULT_COMPOSITION_ROOTS = ("api.dependencies",)
_TOP_LEVEL_KEYS = frozenset(
    {
        "root",
        "exclude",
        "layers",
        "rules",
        "per-file-ignores",
        "type-checking-imports",
        "composition-roots",
        "forbidden-packages",
    }
)


class ConfigError(Exception):
    """Bad input (configuration, arguments, paths): exit status 2 with this one-line message."""


@dataclass(frozen=True)
class Config:
    """A validated `[tool.arch-check]` section."""

    project_dir: Path  # the folder holding pyproject.toml; paths are reported relative to it
    config_file: Path
    root: str  # the application package's folder, relative to project_dir, with "/"
    exclude: tuple[str, ...] = ()
    layers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    explicit_layer_patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    select: tuple[str, ...] = ("ARC",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rule_options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    type_checking_imports: bool = False
    composition_roots: tuple[str, ...] = DEFAULT_COMPOSITION_ROOTS
    forbidden_packages: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def root_package(self) -> str:
        """The dotted name of the application package."""
        return self.root.rsplit("/", 1)[-1]

    @property
    def root_dir(self) -> Path:
        """The application package's folder."""
        return self.project_dir / self.root


def find_config_file(start: Path) -> Path:
    """The nearest pyproject.toml with a `[tool.arch-check]` section, from `start` upward."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_section(candidate):
            return candidate
    raise ConfigError(f"no pyproject.toml with a [{SECTION}] section in {start} or above")


def _has_section(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return isinstance(data.get("tool"), dict) and "arch-check" in data["tool"]


def load_config(start: Path | str = ".") -> Config:
    """Read and validate the configuration of the project that contains `start`."""
    config_file = find_config_file(Path(start))
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{config_file.name}: cannot read: {error}") from None
    return parse_config(data["tool"]["arch-check"], config_file)


def parse_config(section: object, config_file: Path) -> Config:
    """Validate a `[tool.arch-check]` table (as tomllib returns it)."""
    problems = _Problems(config_file.name)
    table = problems.table(section, "")
    for key in table:
        if key not in _TOP_LEVEL_KEYS:
            problems.fail(key, f"unknown key (known: {', '.join(sorted(_TOP_LEVEL_KEYS))})")
    if "root" not in table:
        problems.fail("root", 'missing: name the application package, e.g. root = "app"')
    root = problems.string(table["root"], "root").strip("/")
    project_dir = config_file.parent
    root_dir = project_dir / root
    if not root or not (root_dir / "__init__.py").is_file():
        problems.fail("root", f"{root!r} is not a package folder (no {root}/__init__.py)")

    layers, explicit = _layers(problems, table.get("layers", {}))
    rules_table = problems.table(table.get("rules", {}), "rules")
    select, ignore, rule_options = _rules(problems, rules_table)
    per_file = problems.table(table.get("per-file-ignores", {}), "per-file-ignores")
    return Config(
        project_dir=project_dir,
        config_file=config_file,
        root=root,
        exclude=problems.strings(table.get("exclude", []), "exclude"),
        layers=layers,
        explicit_layer_patterns=explicit,
        select=select,
        ignore=ignore,
        per_file_ignores={
            pattern: problems.strings(codes, f"per-file-ignores.{pattern!r}")
            for pattern, codes in per_file.items()
        },
        rule_options=rule_options,
        type_checking_imports=problems.boolean(
            table.get("type-checking-imports", False), "type-checking-imports"
        ),
        composition_roots=problems.strings(
            table.get("composition-roots", list(DEFAULT_COMPOSITION_ROOTS)), "composition-roots"
        ),
        forbidden_packages=_forbidden(problems, table.get("forbidden-packages", {})),
    )


def _layers(
    problems: _Problems, raw: object
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    given = problems.table(raw, "layers")
    explicit: dict[str, tuple[str, ...]] = {}
    for name, patterns in given.items():
        if name not in LAYER_NAMES:
            problems.fail(f"layers.{name}", f"unknown layer (known: {', '.join(LAYER_NAMES)})")
        explicit[name] = problems.strings(patterns, f"layers.{name}")
        for pattern in explicit[name]:
            if not pattern or pattern.startswith(".") or pattern.endswith("."):
                problems.fail(f"layers.{name}", f"bad module pattern {pattern!r}")
    layers = {name: explicit.get(name, DEFAULT_LAYER_PATTERNS[name]) for name in LAYER_NAMES}
    return layers, explicit


def _rules(
    problems: _Problems, table: dict[str, object]
) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, dict[str, object]]]:
    """select, ignore, and the per-rule option tables (checked against the rules later)."""
    options = {
        key: problems.table(value, f"rules.{key}")
        for key, value in table.items()
        if key not in ("select", "ignore")
    }
    select = problems.strings(table.get("select", ["ARC"]), "rules.select")
    ignore = problems.strings(table.get("ignore", []), "rules.ignore")
    return select, ignore, options


def check_rule_options(config: Config, defaults: Mapping[str, Mapping[str, object]]) -> None:
    """Each `[tool.arch-check.rules.<CODE>]` table against its rule's default options."""
    problems = _Problems(config.config_file.name)
    for code, given in config.rule_options.items():
        if code not in defaults:
            problems.fail(f"rules.{code}", "unknown key: expected select, ignore or a rule code")
        for name, option in given.items():
            if name not in defaults[code]:
                known = ", ".join(sorted(defaults[code])) or "none"
                problems.fail(f"rules.{code}.{name}", f"unknown option (known: {known})")
            default = defaults[code][name]
            if type(option) is not type(default):
                problems.fail(
                    f"rules.{code}.{name}",
                    f"expected {type(default).__name__}, got {type(option).__name__}",
                )


def _forbidden(problems: _Problems, raw: object) -> dict[str, tuple[str, ...]]:
    given = problems.table(raw, "forbidden-packages")
    result = {name: forbidden_packages(name) for name in LAYER_NAMES}
    for name, packages in given.items():
        if name not in LAYER_NAMES:
            problems.fail(f"forbidden-packages.{name}", "unknown layer")
        result[name] = problems.strings(packages, f"forbidden-packages.{name}")
        for package in result[name]:
            if not package.isidentifier():
                problems.fail(
                    f"forbidden-packages.{name}", f"{package!r} is not a top-level package name"
                )
    return result


class _Problems:
    """Type checks that raise a ConfigError naming the file and the key."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name

    def fail(self, key: str, problem: str) -> NoReturn:
        dotted = f"{SECTION}.{key}" if key else SECTION
        raise ConfigError(f"{self.file_name}: {dotted}: {problem}")

    def table(self, value: object, key: str) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_type_name(value)}")
        return value  # type: ignore[return-value]

    def string(self, value: object, key: str) -> str:
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_type_name(value)}")
        return value  # type: ignore[return-value]

    def boolean(self, value: object, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_type_name(value)}")
        return value  # type: ignore[return-value]

    def strings(self, value: object, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(key, f"expected a list of strings, got {_type_name(value)}")
        return tuple(value)  # type: ignore[arg-type]


def _type_name(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number"}
    names |= {list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)
