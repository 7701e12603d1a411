"""Name resolution from a module's own import table: cheap, and enough for idioms.

libcst's QualifiedNameProvider costs 10-15x a parse; a dict of what each import
binds answers the questions the rules ask ("is this `Depends`?", "is this the
project's `User` model?") in a dictionary look-up.

The hottest helpers compare exact node types (`type(node) is cst.Name`) rather than
call isinstance(): libcst's node classes are ABCs, whose isinstance() runs Python
code whenever the answer is no. Only leaf classes (no subclasses) are compared so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import libcst as cst

Resolver = Callable[[str], str | None]

BUILTIN_TYPES = frozenset(
    {"int", "str", "bytes", "float", "bool", "dict", "list", "set", "tuple", "frozenset", "object"}
)


def dotted(node: cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, None for anything else."""
    parts: list[str] = []
    while type(node) is cst.Attribute:  # exact types: see the module docstring
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def _module_name(node: cst.Attribute | cst.Name) -> str:
    return dotted(node) or ""


def relative_base(module: str, is_package: bool, level: int) -> str:
    """The package a relative import of `level` dots starts from."""
    parts = module.split(".")
    if not is_package:
        parts = parts[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts)


def import_bindings(
    node: cst.Import | cst.ImportFrom, module: str, is_package: bool
) -> Iterator[tuple[str, str, str]]:
    """(local name, canonical name, imported module) for each name an import binds."""
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = _module_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                yield alias.asname.name.value, full, full
            else:
                head = full.split(".")[0]
                yield head, head, full
        return
    base = _module_name(node.module) if node.module is not None else ""
    if node.relative:
        prefix = relative_base(module, is_package, len(node.relative))
        base = f"{prefix}.{base}" if prefix and base else (prefix or base)
    if isinstance(node.names, cst.ImportStar):
        yield "*", base + ".*", base
        return
    for alias in node.names:
        name = _module_name(alias.name)
        local = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            local = alias.asname.name.value
        yield local, f"{base}.{name}" if base else name, base


def qualify(node: cst.BaseExpression, resolve: Resolver) -> str | None:
    """Canonical dotted name of a Name/Attribute chain, resolving its head with `resolve`."""
    name = dotted(node)
    if name is None:
        return None
    head, _, rest = name.partition(".")
    base = resolve(head)
    if base is None:
        return None
    return f"{base}.{rest}" if rest else base


def annotation_names(node: cst.BaseExpression | None, resolve: Resolver) -> tuple[str, ...]:
    """Canonical names a type annotation mentions (`Optional[list[User]]` -> Optional, list, User).

    `Annotated[T, ...]` stands for T alone; string annotations are parsed.
    """
    if node is None:
        return ()
    found: list[str] = []
    _collect(node, resolve, found)
    return tuple(dict.fromkeys(found))


def _collect(node: cst.BaseExpression, resolve: Resolver, found: list[str]) -> None:
    kind = type(node)
    if kind is cst.Name or kind is cst.Attribute:
        if kind is cst.Name and node.value == "None":
            return
        name = qualify(node, resolve)
        if name is not None:
            found.append(name)
    elif kind is cst.Subscript:
        value = node.value
        outer = qualify(value, resolve) if type(value) in _NAME_CHAINS else None
        elements = [e.slice.value for e in node.slice if type(e.slice) is cst.Index]
        if outer in ("typing.Annotated", "typing_extensions.Annotated"):
            elements = elements[:1]
        elif outer is not None:
            found.append(outer)
        for element in elements:
            _collect(element, resolve, found)
    elif kind is cst.BinaryOperation and type(node.operator) is cst.BitOr:
        _collect(node.left, resolve, found)
        _collect(node.right, resolve, found)
    elif kind is cst.List or kind is cst.Tuple:
        for element in node.elements:
            _collect(element.value, resolve, found)
    elif kind is cst.SimpleString:
        try:
            parsed = cst.parse_expression(node.evaluated_value)
        except (cst.ParserSyntaxError, ValueError, TypeError):
            return
        _collect(parsed, resolve, found)


_NAME_CHAINS = frozenset({cst.Name, cst.Attribute})


def literal_string(node: cst.BaseExpression | None) -> str | None:
    """The value of a plain or concatenated string literal, else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = literal_string(node.left), literal_string(node.right)
        return left + right if left is not None and right is not None else None
    return None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    """The keyword argument `name=` of a call, if given."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call: cst.Call, index: int) -> cst.Arg | None:
    """The index-th positional argument of a call, if given."""
    seen = 0
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            if seen == index:
                return arg
            seen += 1
    return None
