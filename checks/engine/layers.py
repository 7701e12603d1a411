"""The layers of DESIGN.md section 2 and how module names map onto them.

A pattern is a dotted module name relative to the root package; `*` matches any run
of names, and a leading `*.` may also match nothing, so `*.service` matches both
`users.service` (domain-first) and `service`. A module belongs to the layer of the
deepest of its prefixes that matches a pattern: `app.api.users.service` is a
service even though it lives under `api`.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Mapping

LAYER_NAMES = ("api", "services", "repositories", "models", "schemas", "core", "utils")

DEFAULT_LAYER_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "api": ("api", "*.router", "*.routers", "*.routes", "*.endpoints", "*.views"),
    "services": ("services", "*.service", "*.services"),
    "repositories": ("repositories", "*.repository", "*.repositories", "*.crud"),
    "models": ("models", "*.models", "*.model"),
    "schemas": ("schemas", "*.schemas", "*.schema"),
    "core": ("core",),
    "utils": ("utils",),
}

# The app layers each layer may import; every other layer is off limits (ARC001).
ALLOWED_LAYERS: Mapping[str, frozenset[str]] = {
    "api": frozenset({"services", "schemas", "core", "utils"}),
    "services": frozenset({"repositories", "models", "schemas", "core", "utils"}),
    "repositories": frozenset({"models", "core", "utils"}),
    "models": frozenset({"core", "utils"}),
    "schemas": frozenset({"utils"}),
    "core": frozenset(),
    "utils": frozenset(),
}

# Third-party packages a layer's role forbids (ARC002), judged on direct imports only.
_FORBIDDEN_PACKAGES: Mapping[str, tuple[str, ...]] = {
    "api": ("sqlalchemy",),
    "services": ("fastapi", "starlette", "sqlalchemy"),
    "repositories": ("fastapi", "starlette"),
    "models": ("fastapi", "starlette", "pydantic"),
    "schemas": ("sqlalchemy",),
    "core": (),
    "utils": (),
}


def forbidden_packages(layer: str) -> tuple[str, ...]:
    """The default third-party packages `layer` must not import."""
    return _FORBIDDEN_PACKAGES[layer]


def forbidden_layers(layer: str, present: Iterable[str]) -> list[str]:
    """The layers among `present` that `layer` must not import."""
    return [other for other in present if other != layer and other not in ALLOWED_LAYERS[layer]]


def pattern_matches(pattern: str, relative_name: str) -> bool:
    """Whether a layer pattern matches a module name relative to the root package."""
    return _compiled((pattern,)).fullmatch(relative_name) is not None


@functools.cache
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One regular expression for a set of patterns (discovery matches thousands of names)."""
    alternatives = []
    for pattern in patterns:
        alternatives.append(fnmatch.translate(pattern))
        if pattern.startswith("*."):
            alternatives.append(fnmatch.translate(pattern[2:]))
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives) or "(?!)")


def _prefixes(relative_name: str) -> list[str]:
    """`a.b.c` -> [`a.b.c`, `a.b`, `a`]: the module and its packages, deepest first."""
    parts = relative_name.split(".") if relative_name else []
    return [".".join(parts[:depth]) for depth in range(len(parts), 0, -1)]


def layer_of(relative_name: str, layers: Mapping[str, Iterable[str]]) -> str | None:
    """The layer of a module (dotted name relative to the root package; "" for the root)."""
    compiled = [(layer, _compiled(tuple(patterns))) for layer, patterns in layers.items()]
    for prefix in _prefixes(relative_name):
        for layer, matcher in compiled:
            if matcher.fullmatch(prefix):
                return layer
    return None


def matches_any(relative_name: str, patterns: Iterable[str]) -> bool:
    """Whether the module or one of its packages matches one of `patterns`."""
    matcher = _compiled(tuple(patterns))
    return any(matcher.fullmatch(prefix) for prefix in _prefixes(relative_name))
