"""Import contracts (ARC001, ARC002) in both layouts, through the public engine API."""

from __future__ import annotations

from pathlib import Path

import grimp
from importlinter.contracts.forbidden import ForbiddenContract

from checks.engine import check_project, load_config


def _found(folder: Path, codes: tuple[str, ...] = ("ARC001", "ARC002")) -> list[tuple]:
    result = check_project(load_config(folder), select=list(codes), jobs=1, use_cache=False)
    return [(v.code, v.path, v.line) for v in result.violations]


LAYER_FIRST = {
    "app/api/users.py": """\
        from app.services.users import UserService
        from app.repositories.users import UserRepository
        from app.schemas.user import UserOut
    """,
    "app/api/dependencies.py": """\
        from sqlalchemy.ext.asyncio import AsyncSession
        from app.repositories.users import UserRepository
    """,
    "app/services/users.py": """\
        from typing import TYPE_CHECKING
        from app.repositories.users import UserRepository
        from app.api import users
        if TYPE_CHECKING:
            from sqlalchemy.ext.asyncio import AsyncSession
    """,
    "app/repositories/users.py": "from sqlalchemy import select\nfrom app.models import user\n",
    "app/models/user.py": "from sqlalchemy.orm import Mapped\n",
    "app/schemas/user.py": "from pydantic import BaseModel\nfrom app.models.user import User\n",
}


def test_layer_first_reports_each_bad_import_once_at_its_line(
    tmp_path: Path, write_project
) -> None:
    write_project(tmp_path, LAYER_FIRST)
    assert _found(tmp_path) == [
        ("ARC001", "app/api/users.py", 2),  # api -> repositories
        ("ARC001", "app/schemas/user.py", 2),  # schemas -> models
        ("ARC001", "app/services/users.py", 3),  # services -> api
    ]


def test_third_party_bans_judge_direct_imports_only(tmp_path: Path, write_project) -> None:
    """services -> repositories -> sqlalchemy is legal; services importing it is not."""
    files = {**LAYER_FIRST, "app/services/orders.py": "import sqlalchemy.orm\n"}
    write_project(tmp_path, files)
    assert _found(tmp_path, ("ARC002",)) == [("ARC002", "app/services/orders.py", 1)]


def test_type_checking_imports_count_when_switched_on(tmp_path: Path, write_project) -> None:
    config = '[tool.arch-check]\nroot = "app"\ntype-checking-imports = true\n'
    write_project(tmp_path, LAYER_FIRST, config)
    assert ("ARC002", "app/services/users.py", 5) in _found(tmp_path)


def test_composition_root_can_be_configured(tmp_path: Path, write_project) -> None:
    config = '[tool.arch-check]\nroot = "app"\ncomposition-roots = ["api.wiring"]\n'
    write_project(tmp_path, LAYER_FIRST, config)
    found = _found(tmp_path)
    assert ("ARC001", "app/api/dependencies.py", 2) in found
    assert ("ARC002", "app/api/dependencies.py", 1) in found


DOMAIN_FIRST = {
    "app/users/router.py": """\
        from app.users.service import UserService
        from app.users.repository import UserRepository
        from app.orders.schemas import OrderOut
    """,
    "app/users/service.py": """\
        from app.users.repository import UserRepository
        from app.orders.service import OrderService
        from app.users import router
        from fastapi import HTTPException
    """,
    "app/users/repository.py": "from sqlalchemy import select\nfrom app.users.models import User\n",
    "app/users/models.py": "from sqlalchemy.orm import Mapped\n",
    "app/orders/service.py": "class OrderService: ...\n",
    "app/orders/schemas.py": "from app.users.models import User\n",
    "app/main.py": "from app.users.router import UserService\n",
}


def test_domain_first_layout_maps_modules_by_pattern(tmp_path: Path, write_project) -> None:
    write_project(tmp_path, DOMAIN_FIRST)
    assert _found(tmp_path) == [
        ("ARC001", "app/orders/schemas.py", 1),  # schemas -> models
        ("ARC001", "app/users/router.py", 2),  # api -> repositories
        ("ARC001", "app/users/service.py", 3),  # services -> api
        ("ARC002", "app/users/service.py", 4),  # services -> fastapi
    ]


def test_repository_own_importlinter_contracts_run_too(tmp_path: Path, write_project) -> None:
    """A team's own rule on top of the layers: here, services must not use schemas."""
    files = LAYER_FIRST | {"app/services/orders.py": "\nfrom app.schemas import user\n"}
    write_project(tmp_path, files)
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_package = app\n\n"
        "[importlinter:contract:no-schemas]\nname = Services return models\ntype = forbidden\n"
        "source_modules = app.services\nforbidden_modules = app.schemas\n"
    )
    result = check_project(load_config(tmp_path), select=["ARC001"], jobs=1, use_cache=False)
    own = [v for v in result.violations if v.path == "app/services/orders.py"]
    assert [(v.code, v.line) for v in own] == [("ARC001", 2)]
    assert "Services return models" in own[0].message


def test_import_linter_seam_options_are_strings() -> None:
    """The import-linter API arch-check relies on: contract options as strings, metadata shape.

    A Python True for include_external_packages would silently drop external packages;
    an upgrade that changes this API must fail here, not in users' repositories.
    """
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(module)
    graph.add_module("sqlalchemy", is_squashed=True)
    graph.add_import(
        importer="pkg.a", imported="pkg.b", line_number=3, line_contents="import pkg.b"
    )
    graph.add_import(
        importer="pkg.b", imported="pkg.c", line_number=4, line_contents="import pkg.c"
    )
    graph.add_import(
        importer="pkg.a", imported="sqlalchemy", line_number=5, line_contents="import sqlalchemy"
    )
    session = {"root_packages": ["pkg"], "include_external_packages": "True"}
    options = {
        "source_modules": ["pkg.a"],
        "forbidden_modules": ["pkg.c", "sqlalchemy"],
        "allow_indirect_imports": "True",
        "as_packages": "False",
    }
    check = ForbiddenContract("seam", session, options).check(graph, verbose=False)
    chains = [
        [(link["importer"], link["imported"], link["line_numbers"]) for link in chain]
        for data in check.metadata["invalid_chains"]
        for chain in data["chains"]
    ]
    assert chains == [[("pkg.a", "sqlalchemy", (5,))]]  # pkg.a -> pkg.b -> pkg.c is indirect
    strict = ForbiddenContract("seam", session, {**options, "allow_indirect_imports": "False"})
    assert len(strict.check(graph, verbose=False).metadata["invalid_chains"]) == 2
