"""Run the selected rules over one parsed file in a single walk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider
from libcst.metadata.position_provider import PositionProvidingCodegenState

from checks.analysis.context import ModuleContext
from checks.analysis.index import ProjectIndex
from checks.analysis.model import Violation
from checks.analysis.parse import ParsedFile
from checks.analysis.walk import iter_nodes, walk
from checks.rules.base import Rule


class _ScopeTracker:
    """Keeps the context's enclosing functions and classes current during the walk."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.ctx.enter(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.ctx.leave(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.ctx.enter(node)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.ctx.leave(node)


def _codegen(module: cst.Module) -> tuple[str, Mapping[cst.CSTNode, CodeRange]]:
    """The module's code and every node's range, from one codegen pass.

    MetadataWrapper.resolve() first walks the tree with libcst's visitor, which rebuilds
    nodes and costs about as much as the codegen itself (dispatch: 40% of the check
    time); the provider's own pass is all PositionProvider needs, and its tokens are
    the code.
    """
    provider = PositionProvider()
    try:  # libcst internals, pinned by tests/checks/test_analysis.py
        state = PositionProvidingCodegenState(
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            provider=provider,
        )
        module._codegen(state)
    except (AttributeError, TypeError):  # internals changed: the public, slower path
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        return module.code, wrapper.resolve(PositionProvider)
    return "".join(state.tokens), provider._computed


def _positions(
    tree: cst.Module, text: str, nodes: Sequence[cst.CSTNode]
) -> Mapping[cst.CSTNode, CodeRange]:
    """Source ranges of `nodes`, generating code only for the statements that hold them.

    Codegen with positions costs about as much as the parse, and a big module usually
    has its findings in a few functions. libcst round-trips the source byte for byte, so
    a top-level statement's code stands in the source text verbatim: its offset gives
    the line to add. Where that text is not unique, the whole module is generated.
    """
    wanted = {id(node) for node in nodes}
    holders = []
    for statement in tree.body:
        if wanted and any(id(node) in wanted for node in iter_nodes(statement)):
            holders.append(statement)
            wanted.difference_update(id(node) for node in iter_nodes(statement))
    if wanted or not text:
        return _codegen(tree)[1]
    ranges: dict[cst.CSTNode, CodeRange] = {}
    for statement in holders:
        snippet = tree.with_changes(header=(), body=(statement,), footer=())
        code, local = _codegen(snippet)
        offset = text.find(code)
        if offset < 0 or text.find(code, offset + 1) >= 0:
            return _codegen(tree)[1]
        shift = text.count("\n", 0, offset)
        for node, where in local.items():
            ranges[node] = CodeRange(
                (where.start.line + shift, where.start.column),
                (where.end.line + shift, where.end.column),
            )
    return ranges


def check_file(
    parsed: ParsedFile,
    index: ProjectIndex,
    rules: Sequence[tuple[type[Rule], Mapping[str, object]]],
) -> list[Violation]:
    """Violations of `rules` in one file, before suppressions and per-file ignores."""
    if parsed.tree is None or parsed.summarizer is None:
        return []
    summary = parsed.summary
    ctx = ModuleContext(parsed.tree, summary, index, parsed.summarizer)
    active = [rule(ctx, options) for rule, options in rules if rule.applies_to(summary.layer)]
    if not active:
        return []
    walk(parsed.tree, [_ScopeTracker(ctx), *active])
    if not ctx.findings:
        return []
    positions = _positions(parsed.tree, parsed.text, [f.node for f in ctx.findings])
    violations = []
    for finding in ctx.findings:
        where = positions.get(finding.node)
        if where is None:
            line, column, end_line, end_column = 1, 1, 1, 1
        else:
            line, column = where.start.line, where.start.column + 1
            end_line, end_column = where.end.line, where.end.column + 1
        violations.append(
            Violation(
                code=finding.code,
                name=finding.name,
                path=summary.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                message=finding.message,
                layer=summary.layer,
                scope=finding.scope,
            )
        )
    return violations
