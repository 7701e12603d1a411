"""ARC001 layer-violation: an import that goes up or across the layer order.

Detected by the engine with import-linter (`checks.engine.contracts`); this class
carries the rule's documentation and examples.
"""

from __future__ import annotations

from typing import ClassVar

from checks.rules.base import Invalid, Rule, Valid

_REPOSITORY = "class UserRepository:\n    pass\n"
_ROUTER = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"


class LayerViolationRule(Rule):
    """The direction of imports between the app's layers (DESIGN.md section 2)."""

    code = "ARC001"
    name = "layer-violation"
    summary = "An import that goes up or across the layer order"
    rationale = (
        "Layers only work if dependencies point one way: routes call services, services call "
        "repositories, repositories use models. A service that imports a route module, or a "
        "route that reaches past the service into a repository, ties layers together so that "
        "none of them can change or be tested alone. Only the dependency-injection composition "
        "root (api/dependencies.py) may wire repositories into services. Imports under "
        "`if TYPE_CHECKING:` do not count unless `type-checking-imports = true`."
    )
    fix = (
        "Move the code to the layer that owns it, or receive the collaborator through "
        "Depends() from the composition root instead of importing it."
    )
    reference = "reference_app/api/dependencies.py"
    VALID: ClassVar = (
        Valid(
            "from app.repositories.users import UserRepository\n",
            path="app/services/users.py",
            files={"app/repositories/users.py": _REPOSITORY},
            note="services may use repositories",
        ),
        Valid(
            "from app.repositories.users import UserRepository\n",
            path="app/api/dependencies.py",
            files={"app/repositories/users.py": _REPOSITORY},
            note="the composition root may wire repositories",
        ),
        Valid(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from app.api.users import router\n",
            path="app/services/users.py",
            files={"app/api/users.py": _ROUTER},
            note="imports for type checking only do not count by default",
        ),
        Valid(
            "from app.users.repository import UserRepository\n",
            path="app/users/service.py",
            files={"app/users/repository.py": _REPOSITORY},
            note="domain-first layout",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            '"""Users."""\nfrom app.api.users import router\n',
            path="app/services/users.py",
            files={"app/api/users.py": _ROUTER},
            line=2,
            note="a service importing a route module",
        ),
        Invalid(
            "from app.repositories.users import UserRepository\n",
            path="app/api/users.py",
            files={"app/repositories/users.py": _REPOSITORY},
            line=1,
            note="a route reaching past the service layer",
        ),
        Invalid(
            "import app.users.router\n",
            path="app/users/service.py",
            files={"app/users/router.py": _ROUTER},
            line=1,
            note="domain-first layout",
        ),
    )
