"""The rule framework: a class per rule, carrying its docs and examples (as Fixit does).

A rule subclasses `Rule`, declares its metadata and VALID/INVALID examples, and
defines `visit_<Node>` / `leave_<Node>` methods for the libcst node types it needs.
The engine walks each file once and dispatches every node to every rule that wants
it (see `checks.analysis.walk`), so a rule never walks the whole tree itself.
A rule that judges the project as a whole (duplicate routes across modules, import
contracts) overrides `check_project` instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import libcst as cst

    from checks.analysis.context import ModuleContext
    from checks.analysis.index import ProjectIndex
    from checks.analysis.model import Violation


@dataclass(frozen=True)
class Valid:
    """Code the rule must not report.

    `path` decides the module's layer; `files` are other files of the example project
    (path -> source), for rules that look across modules.
    """

    code: str
    path: str = "app/api/users.py"
    files: Mapping[str, str] = field(default_factory=dict)
    options: Mapping[str, object] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Invalid(Valid):
    """Code the rule must report, at `line` (of `code`) when given."""

    line: int | None = None


class Rule:
    """Base class of every rule: metadata, examples, and the per-file visitor."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]  # one line, for `arch-check rules`
    rationale: ClassVar[str]  # why it matters (a paragraph)
    fix: ClassVar[str]  # how to fix it
    reference: ClassVar[str]  # reference-app file that shows the right way
    # Run only on modules of these layers (None: every module under the root).
    layers: ClassVar[frozenset[str] | None] = None
    # Option name -> default value; `[tool.arch-check.rules.<CODE>]` overrides them.
    default_options: ClassVar[Mapping[str, object]] = {}
    VALID: ClassVar[Sequence[Valid]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init__(self, ctx: ModuleContext, options: Mapping[str, object]) -> None:
        self.ctx = ctx
        self.options = options

    def report(self, node: cst.CSTNode, message: str) -> None:
        """Report `message` at `node`; the engine turns it into a positioned Violation."""
        self.ctx.add_finding(self.code, self.name, node, message)

    @classmethod
    def applies_to(cls, layer: str | None) -> bool:
        """Whether this rule runs on a module of `layer`."""
        return cls.layers is None or layer in cls.layers

    @classmethod
    def check_project(
        cls, index: ProjectIndex, options: Mapping[str, object]
    ) -> Iterable[Violation]:
        """Project-wide findings; most rules work per file and leave this empty."""
        return ()
