"""ARC002 forbidden-import: a layer importing a third-party package its role forbids.

Detected by the engine with import-linter on direct imports only
(`checks.engine.contracts`); this class carries the documentation and examples.
"""

from __future__ import annotations

from typing import ClassVar

from checks.rules.base import Invalid, Rule, Valid


class ForbiddenImportRule(Rule):
    """Third-party packages each layer's role rules out (DESIGN.md section 2)."""

    code = "ARC002"
    name = "forbidden-import"
    summary = "A layer importing a third-party package its role forbids"
    rationale = (
        "Each layer has one job, and some libraries belong to other jobs: a service that imports "
        "sqlalchemy is doing data access, one that imports fastapi is doing HTTP, a schema that "
        "imports sqlalchemy is a model in disguise. Only direct imports count, so the finding is "
        "at the line to change. The packages per layer can be changed with "
        "`[tool.arch-check.forbidden-packages]`."
    )
    fix = (
        "Move the code that needs the package into the layer that owns it (queries into a "
        "repository, HTTP errors into the route) and call that layer instead."
    )
    reference = "reference_app/services/users.py"
    VALID: ClassVar = (
        Valid(
            "from sqlalchemy import select\n",
            path="app/repositories/users.py",
            note="repositories own the queries",
        ),
        Valid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from sqlalchemy.ext.asyncio import AsyncSession\n",
            path="app/services/users.py",
            note="imports for type checking only do not count by default",
        ),
        Valid("from pydantic import BaseModel\n", path="app/schemas/user.py"),
    )
    INVALID: ClassVar = (
        Invalid(
            "from sqlalchemy import select\n",
            path="app/services/users.py",
            line=1,
            note="a service building queries",
        ),
        Invalid(
            "import json\nfrom fastapi import HTTPException\n",
            path="app/services/users.py",
            line=2,
            note="a service raising HTTP errors",
        ),
        Invalid(
            "from sqlalchemy.orm import Mapped\n",
            path="app/schemas/user.py",
            line=1,
            note="a schema using the ORM",
        ),
        Invalid(
            "from sqlalchemy import select\n",
            path="app/users/service.py",
            line=1,
            note="domain-first layout",
        ),
    )
