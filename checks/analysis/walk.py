"""One fast pass over a libcst tree that feeds every interested visitor.

libcst's own visitor protocol rebuilds each node's children as it goes and costs
about 0.75x the parse; reading the dataclass fields directly, and skipping the
whitespace and punctuation fields no rule looks at, costs about 0.05x.
Visitors define `visit_<Node>(node)` and `leave_<Node>(node)` for concrete libcst
node types (for example `visit_Call`); return values are ignored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from operator import attrgetter

import libcst as cst

_SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "trailing_whitespace",
        "newline",
        "equal",
        "colon",
        "dot",
        "asynchronous",
        "whitespace",
    }
)

_field_cache: dict[type, tuple[str, ...]] = {}
_getter_cache: dict[type, Callable[[cst.CSTNode], tuple[object, ...]]] = {}
_hook_cache: dict[type, tuple[tuple[tuple[type, str], ...], tuple[tuple[type, str], ...]]] = {}


def _fields(node_type: type) -> tuple[str, ...]:
    names = _field_cache.get(node_type)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _SKIPPED_FIELDS
            and not f.name.startswith("whitespace")
            and f.type not in (str, bool)  # Name.value, Module.encoding: never nodes
        )
        _field_cache[node_type] = names
    return names


def _concrete_node_types() -> frozenset[type]:
    found: set[type] = set()
    stack: list[type] = [cst.CSTNode]
    while stack:
        for subclass in stack.pop().__subclasses__():
            if subclass not in found:
                found.add(subclass)
                stack.append(subclass)
    return frozenset(found)


# CSTNode is an ABC, so isinstance() on it takes the slow ABC path; a set look-up of the
# exact type is several times cheaper on the hottest line of the linter.
NODE_TYPES = _concrete_node_types()


def _getter(node_type: type) -> Callable[[cst.CSTNode], tuple[object, ...]]:
    """The node's meaningful field values in one C-level call (attrgetter)."""
    getter = _getter_cache.get(node_type)
    if getter is None:
        names = _fields(node_type)
        if not names:
            getter = _no_fields
        elif len(names) == 1:
            single = attrgetter(names[0])
            getter = lambda node: (single(node),)  # noqa: E731 - one allocation per type
        else:
            getter = attrgetter(*names)
        _getter_cache[node_type] = getter
    return getter


def _no_fields(node: cst.CSTNode) -> tuple[object, ...]:
    return ()


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The meaningful child nodes of `node`, in source order.

    Sequence fields of libcst nodes hold only nodes (checked by a test), so they are
    taken whole.
    """
    found: list[cst.CSTNode] = []
    for value in _getter(type(node))(node):
        kind = type(value)
        if kind in NODE_TYPES:
            found.append(value)
        elif kind is tuple or kind is list:
            found.extend(value)
    return found


def iter_nodes(root: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """Every meaningful node below and including `root`, in source order."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def _hooks(visitor_type: type) -> tuple[tuple[tuple[type, str], ...], tuple[tuple[type, str], ...]]:
    hooks = _hook_cache.get(visitor_type)
    if hooks is None:
        visits, leaves = [], []
        for attr in dir(visitor_type):
            prefix, _, node_name = attr.partition("_")
            if prefix in ("visit", "leave") and node_name:
                node_type = getattr(cst, node_name, None)
                if isinstance(node_type, type) and issubclass(node_type, cst.CSTNode):
                    (visits if prefix == "visit" else leaves).append((node_type, attr))
        hooks = (tuple(visits), tuple(leaves))
        _hook_cache[visitor_type] = hooks
    return hooks


def walk(root: cst.CSTNode, visitors: Iterable[object]) -> None:
    """Walk `root` once, calling each visitor's hooks; leave hooks run in reverse order."""
    on_visit: dict[type, list[Callable[[cst.CSTNode], object]]] = {}
    on_leave: dict[type, list[Callable[[cst.CSTNode], object]]] = {}
    for visitor in visitors:
        visits, leaves = _hooks(type(visitor))
        for node_type, attr in visits:
            on_visit.setdefault(node_type, []).append(getattr(visitor, attr))
        for node_type, attr in leaves:
            on_leave.setdefault(node_type, []).insert(0, getattr(visitor, attr))
    node_types = NODE_TYPES
    stack: list[object] = [root]
    while stack:
        item = stack.pop()
        if type(item) is tuple:  # a pending leave event
            for hook in on_leave[type(item[0])]:
                hook(item[0])
            continue
        node_type = type(item)
        for hook in on_visit.get(node_type, ()):
            hook(item)
        if node_type in on_leave:
            stack.append((item,))
        # children() inlined: this loop runs once per node of every file.
        values = (_getter_cache.get(node_type) or _getter(node_type))(item)
        if values:
            found: list[object] = []
            for value in values:
                kind = type(value)
                if kind in node_types:
                    found.append(value)
                elif kind is tuple or kind is list:
                    found.extend(value)
            found.reverse()
            stack.extend(found)
