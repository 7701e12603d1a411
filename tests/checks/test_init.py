"""`arch-check init`: package and layout detection, and byte-exact pyproject.toml edits."""

import tomllib
from pathlib import Path

import pytest

from checks.adopt.detect import detect
from checks.adopt.init import section_text, write_config
from checks.engine.config import ConfigError, parse_config
from checks.engine.discovery import discover

ROUTE = "from fastapi import APIRouter\n\nrouter = APIRouter()\n"


def _tree(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


LAYER_FIRST = {
    "app/__init__.py": "",
    "app/main.py": "from fastapi import FastAPI\n",
    "app/api/__init__.py": "",
    "app/api/users.py": ROUTE,
    "app/services/__init__.py": "",
    "app/services/users.py": "",
    "app/crud/__init__.py": "",
    "app/crud/users.py": "",
    "app/models/__init__.py": "",
    "app/schemas/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/config.py": "",
    "app/alembic/env.py": "",
    "tests/__init__.py": "",
    "tests/test_api.py": "import fastapi\n",
}

DOMAIN_FIRST = {
    "src/service/__init__.py": "",  # a package named like a layer must not confuse the search
    "src/shop/__init__.py": "",
    "src/shop/main.py": "from fastapi import FastAPI\n",
    "src/shop/users/__init__.py": "",
    "src/shop/users/router.py": ROUTE,
    "src/shop/users/service.py": "",
    "src/shop/users/repository.py": "",
    "src/shop/users/models.py": "",
    "src/shop/users/schemas.py": "",
    "src/shop/orders/__init__.py": "",
    "src/shop/orders/router.py": ROUTE,
    "src/shop/orders/service.py": "",
}


def test_layer_first_package_is_found_with_its_patterns(tmp_path):
    found = detect(_tree(tmp_path, LAYER_FIRST))
    assert found.root == "app" and found.layout == "layer-first"
    assert found.patterns == {
        "api": ["api"],
        "services": ["services"],
        "repositories": ["*.crud"],
        "models": ["models"],
        "schemas": ["schemas"],
        "core": ["core"],
    }
    assert found.unlayered == ["app.main"]
    assert found.exclude == ["app/alembic/**"]


def test_domain_first_package_under_src_is_found(tmp_path):
    found = detect(_tree(tmp_path, DOMAIN_FIRST))
    assert found.root == "src/shop" and found.layout == "domain-first"
    assert found.patterns["api"] == ["*.router"]
    assert found.patterns["services"] == ["*.service"]
    assert found.modules["api"] == ["shop.orders.router", "shop.users.router"]


@pytest.mark.parametrize("files", [LAYER_FIRST, DOMAIN_FIRST], ids=["layer", "domain"])
def test_the_written_section_is_a_valid_engine_config(tmp_path, files):
    project = _tree(tmp_path, files)
    assert write_config(project, detect(project)) == "created"
    data = tomllib.loads((project / "pyproject.toml").read_text())
    config = parse_config(data["tool"]["arch-check"], project / "pyproject.toml")
    layers = {source.module: source.layer for source in discover(config)}
    assert "app.alembic.env" not in layers
    assert {layers.get("app.api.users"), layers.get("shop.users.router")} - {None} == {"api"}


def test_no_fastapi_package_is_one_line_bad_input(tmp_path):
    _tree(tmp_path, {"lib/__init__.py": "", "tests/test_x.py": "import fastapi\n"})
    with pytest.raises(ConfigError, match="--root") as error:
        detect(tmp_path)
    assert "\n" not in str(error.value)


def test_root_can_be_given(tmp_path):
    _tree(tmp_path, {**LAYER_FIRST, "other/__init__.py": "", "other/api/__init__.py": ""})
    assert detect(tmp_path, root="other").root == "other"
    with pytest.raises(ConfigError, match="not a package"):
        detect(tmp_path, root="missing")


EXISTING = (
    "# Team settings: keep this comment\n"
    "[project]\n"
    'name = "shop"  # trailing comment\n'
    "dependencies = [\n"
    '    "fastapi",   # odd   spacing\n'
    "]\n"
    "\n"
    "[tool.ruff]\n"
    "line-length = 99"  # no newline at the end
)


def test_appending_keeps_every_byte_of_the_file(tmp_path):
    project = _tree(tmp_path, LAYER_FIRST)
    (project / "pyproject.toml").write_text(EXISTING)
    assert write_config(project, detect(project)) == "appended"
    text = (project / "pyproject.toml").read_text()
    assert text.startswith(EXISTING + "\n\n[tool.arch-check]\n")
    assert text.endswith(section_text(detect(project)))


def test_crlf_files_stay_crlf(tmp_path):
    project = _tree(tmp_path, LAYER_FIRST)
    original = EXISTING.replace("\n", "\r\n").encode() + b"\r\n"
    (project / "pyproject.toml").write_bytes(original)
    write_config(project, detect(project))
    data = (project / "pyproject.toml").read_bytes()
    assert data.startswith(original) and b"\n" not in data.replace(b"\r\n", b"")


def test_an_existing_section_is_kept_without_force(tmp_path):
    project = _tree(tmp_path, LAYER_FIRST)
    original = EXISTING + '\n\n[tool.arch-check]\nroot = "app"\n'
    (project / "pyproject.toml").write_text(original)
    with pytest.raises(ConfigError, match="--force") as error:
        write_config(project, detect(project))
    assert str(error.value).startswith("pyproject.toml: tool.arch-check")
    assert (project / "pyproject.toml").read_text() == original


def test_force_replaces_only_the_section_text(tmp_path):
    project = _tree(tmp_path, LAYER_FIRST)
    head = "[project]\nname = 'shop'\n\n"
    old = '[tool.arch-check]\nroot = "old"\n\n[tool."arch-check".layers]\napi = ["web"]\n\n'
    tail = "# about ruff\n[tool.ruff]\nline-length = 99\n"
    (project / "pyproject.toml").write_text(head + old + tail)
    assert write_config(project, detect(project), force=True) == "replaced"
    text = (project / "pyproject.toml").read_text()
    assert text == head + section_text(detect(project)) + "\n" + tail


def test_a_file_that_does_not_parse_is_refused_untouched(tmp_path):
    project = _tree(tmp_path, LAYER_FIRST)
    (project / "pyproject.toml").write_text("[project\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: cannot parse"):
        write_config(project, detect(project))
    assert (project / "pyproject.toml").read_text() == "[project\n"


def test_a_section_written_as_dotted_keys_is_not_replaced_blindly(tmp_path):
    project = _tree(tmp_path, LAYER_FIRST)
    original = '[tool]\narch-check = { root = "app" }\n'
    (project / "pyproject.toml").write_text(original)
    with pytest.raises(ConfigError, match="edit by hand"):
        write_config(project, detect(project), force=True)
    assert (project / "pyproject.toml").read_text() == original


def test_init_command_writes_config_and_shows_a_first_run(tmp_path, monkeypatch, capsys):
    from checks.cli import main

    _tree(tmp_path, {**LAYER_FIRST, "app/services/users.py": "import sqlalchemy\n"})
    (tmp_path / "pyproject.toml").write_text(EXISTING)
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "application package: app (layer-first layout)" in out
    assert "appended [tool.arch-check]" in out
    assert "first run: 1 violation in " in out and "(ARC002: 1)" in out
    assert "arch-check --write-baseline" in out
    assert (tmp_path / "pyproject.toml").read_text().startswith(EXISTING)
    assert main(["--no-cache"]) == 1  # the written config works

    assert main(["init"]) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "pyproject.toml: tool.arch-check: already present; pass --force to replace it\n"
    )
    assert main(["init", "--force", "--root", "app"]) == 0
    assert "replaced [tool.arch-check]" in capsys.readouterr().out


def test_init_command_without_an_app_is_exit_2(tmp_path, monkeypatch, capsys):
    from checks.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "--root" in captured.err
    assert not (tmp_path / "pyproject.toml").exists()


def test_a_monorepo_backend_one_folder_down_is_found(tmp_path):
    backend = {f"backend/{path}": text for path, text in LAYER_FIRST.items()}
    _tree(tmp_path, {**backend, "frontend/node_modules/x/__init__.py": "import fastapi\n"})
    found = detect(tmp_path)
    assert found.root == "backend/app"
    assert found.exclude == ["backend/app/alembic/**"]
