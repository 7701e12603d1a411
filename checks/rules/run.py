"""Run the selected rules over one parsed file in a single walk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from checks.analysis.context import ModuleContext
from checks.analysis.index import ProjectIndex
from checks.analysis.model import Violation
from checks.analysis.parse import ParsedFile
from checks.analysis.walk import walk
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


def _positions(tree: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Source ranges of every node, from one codegen pass.

    MetadataWrapper.resolve() first walks the tree with libcst's visitor, which rebuilds
    nodes and costs about as much as the codegen itself (dispatch: 40% of the check
    time); the provider's own pass is all PositionProvider needs.
    """
    provider = PositionProvider()
    try:
        provider._gen_impl(tree)  # libcst internals, pinned by tests/checks/test_analysis.py
    except AttributeError:  # a libcst without the private hook: the public, slower path
        return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    return provider._computed


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
    positions = _positions(parsed.tree)
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
