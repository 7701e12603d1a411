"""Parse a file once: its libcst tree and its summary for the project index."""

from __future__ import annotations

import ast
from dataclasses import dataclass

import libcst as cst

from checks.analysis.model import ModuleSummary
from checks.analysis.summarize import Summarizer


@dataclass(slots=True)
class ParsedFile:
    """A parsed module; `tree` and `summarizer` are None when the file does not parse."""

    summary: ModuleSummary
    tree: cst.Module | None
    summarizer: Summarizer | None
    text: str = ""  # the decoded source, for locating reported nodes


def parse_file(
    source: bytes,
    path: str,
    module: str,
    layer: str | None,
    is_package: bool,
    composition_root: bool = False,
) -> ParsedFile:
    """Parse `source` and summarise it; a file that does not parse sets `summary.syntax_error`."""
    summary = ModuleSummary(
        module=module,
        path=path,
        layer=layer,
        is_package=is_package,
        composition_root=composition_root,
    )
    try:
        tree = _parse_module(source)
        # Decode rather than `tree.code`: regenerating the source costs half the parse.
        text = (
            source.decode(tree.encoding, errors="replace") if isinstance(source, bytes) else source
        )
    except cst.ParserSyntaxError as error:
        summary.syntax_error = _syntax_error(source, error)
        return ParsedFile(summary, None, None)
    except (UnicodeDecodeError, LookupError, RecursionError, ValueError) as error:
        summary.syntax_error = (f"cannot parse: {error}", 1, 1)
        return ParsedFile(summary, None, None)
    summarizer = Summarizer(tree, text, summary)
    summarizer.run()
    return ParsedFile(summary, tree, summarizer, text)


def _parse_module(source: bytes) -> cst.Module:
    """`libcst.parse_module` without libcst's validation of each node as it is built.

    Every node libcst builds checks its own fields in `__post_init__` (about a quarter
    of the parse), which guards trees built by hand; a tree the parser built from
    source is valid by construction, and libcst's own note there suggests moving the
    work out of parsing. Nodes built after the parse are validated as usual.
    """
    node_class = cst.CSTNode
    validate = node_class.__dict__.get("__post_init__")
    if validate is None:  # a libcst without the hook: nothing to skip
        return cst.parse_module(source)
    node_class.__post_init__ = _trusted  # type: ignore[method-assign]
    try:
        return cst.parse_module(source)
    finally:
        node_class.__post_init__ = validate  # type: ignore[method-assign]


def _trusted(node: cst.CSTNode) -> None:
    """Stands in for CSTNode.__post_init__ while the parser builds a tree."""


def _syntax_error(source: bytes, error: cst.ParserSyntaxError) -> tuple[str, int, int]:
    """Python's own message and position, when Python agrees the file is broken.

    libcst's native parser often points past the error (`y = )` on line 2 comes back as
    line 1); this path runs only for files that do not parse, so asking `ast` is cheap.
    """
    try:
        ast.parse(source)
    except SyntaxError as python_error:
        return (python_error.msg, python_error.lineno or 1, python_error.offset or 1)
    except (ValueError, RecursionError, MemoryError):
        pass
    return (error.message.splitlines()[0], error.editor_line, error.editor_column)
