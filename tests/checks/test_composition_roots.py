"""The configured composition roots are the one place allowed to wire components (ARC402)."""

from __future__ import annotations

from pathlib import Path

from checks.engine import check_project, load_config

WIRING = """
    from app.repositories.users import UserRepository
    from app.services.users import UserService

    user_service = UserService(UserRepository())
"""
FILES = {
    "app/services/users.py": """
        class UserService:
            def __init__(self, repo): ...

            def get(self, user_id): ...
    """,
    "app/repositories/users.py": """
        class UserRepository:
            def get(self, user_id): ...
    """,
    "app/api/wiring.py": WIRING,
}


def _global_state(folder: Path) -> list[str]:
    result = check_project(load_config(folder), select=["ARC402"], jobs=1, use_cache=False)
    return [f"{v.path}:{v.code}" for v in result.violations]


def test_a_module_level_service_is_global_state_outside_a_composition_root(
    tmp_path: Path, write_project
) -> None:
    assert _global_state(write_project(tmp_path, FILES)) == ["app/api/wiring.py:ARC402"]


def test_the_configured_composition_root_may_wire_components(tmp_path: Path, write_project) -> None:
    config = '[tool.arch-check]\nroot = "app"\ncomposition-roots = ["api.wiring"]\n'
    assert _global_state(write_project(tmp_path, FILES, config=config)) == []
