"""Import contracts (ARC001, ARC002) checked in process with import-linter.

The layer table of DESIGN.md section 2 is not a strict order (api may import
services but not repositories, which services may import), so it becomes, per
layer, one import-linter `forbidden` contract over the concrete modules of that
layer against the modules of the layers it must not import (ARC001), and one
against the third-party packages its role forbids (ARC002). Both judge direct
imports only (`allow_indirect_imports`), so each bad import is reported once, at
the importing line, whatever the layout (layer-first or domain-first). The
composition root is left out of the api contracts. A repository's own
`.importlinter` / `[tool.importlinter]` contracts run against the same graph.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checks.analysis.model import Violation
from checks.engine.config import Config, ConfigError
from checks.engine.discovery import SourceFile
from checks.engine.graph import build_graph
from checks.engine.layers import ALLOWED_LAYERS, LAYER_NAMES, forbidden_layers

_BUILT_IN_TYPES = {
    "forbidden": "importlinter.contracts.forbidden.ForbiddenContract",
    "layers": "importlinter.contracts.layers.LayersContract",
    "independence": "importlinter.contracts.independence.IndependenceContract",
    "protected": "importlinter.contracts.protected.ProtectedContract",
    "private_modules": "importlinter.contracts.private_modules.PrivateModulesContract",
    "acyclic_siblings": "importlinter.contracts.acyclic_siblings.AcyclicSiblingsContract",
}
_OWN_CONFIG_FILES = (".importlinter", "setup.cfg", "pyproject.toml")


@dataclass(frozen=True)
class ContractSpec:
    """An import-linter contract in its config form, with what a broken one means."""

    name: str
    type: str
    options: Mapping[str, object]  # import-linter contract options; booleans as "True"/"False"
    code: str  # ARC001 or ARC002
    layer: str | None  # the importing layer, for our own contracts


def layer_contracts(config: Config, files: Sequence[SourceFile]) -> list[ContractSpec]:
    """The ARC001/ARC002 forbidden contracts for the modules of `files`."""
    modules_by_layer: dict[str, list[str]] = {name: [] for name in LAYER_NAMES}
    for source in files:
        if source.layer is not None:
            modules_by_layer[source.layer].append(source.module)
    specs: list[ContractSpec] = []
    for layer in LAYER_NAMES:
        importers = [
            source.module
            for source in files
            if source.layer == layer and not (layer == "api" and source.is_composition_root)
        ]
        if not importers:
            continue
        banned = [
            module
            for other in forbidden_layers(layer, LAYER_NAMES)
            for module in modules_by_layer[other]
        ]
        common = {"source_modules": importers, "allow_indirect_imports": "True"}
        common["as_packages"] = "False"
        if banned:
            specs.append(
                ContractSpec(
                    f"{layer} layer imports only its allowed layers",
                    "forbidden",
                    {**common, "forbidden_modules": banned},
                    "ARC001",
                    layer,
                )
            )
        packages = config.forbidden_packages.get(layer, ())
        if packages:
            specs.append(
                ContractSpec(
                    f"{layer} layer imports no forbidden third-party package",
                    "forbidden",
                    {**common, "forbidden_modules": list(packages)},
                    "ARC002",
                    layer,
                )
            )
    return specs


def own_contracts_file(project_dir: Path) -> Path | None:
    """The repository's own import-linter configuration, if it has one."""
    for name in _OWN_CONFIG_FILES:
        path = project_dir / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if name == ".importlinter" or "importlinter" in text:
            if name == "pyproject.toml" and "[tool.importlinter" not in text:
                continue
            if name == "setup.cfg" and "[importlinter" not in text:
                continue
            return path
    return None


@dataclass(frozen=True)
class ContractResult:
    """Broken imports, and the modules the import graph cannot see at all."""

    violations: list[Violation]
    outside_graph: list[str]  # e.g. modules in a folder without __init__.py


def check_contracts(
    config: Config,
    files: Sequence[SourceFile],
    grimp_cache: str | None,
) -> ContractResult:
    """Build the import graph once; every broken import becomes a violation."""
    from importlinter.api import read_configuration

    own_file = own_contracts_file(config.project_dir)
    own_session: dict[str, Any] = {}
    own_specs: list[Mapping[str, Any]] = []
    if own_file is not None:
        try:
            own = read_configuration(str(own_file))
        except Exception as error:
            raise ConfigError(
                f"{own_file.name}: cannot read import-linter config: {error}"
            ) from None
        own_session, own_specs = own["session_options"], own["contracts_options"]

    layer_of = {source.module: source.layer for source in files}
    path_of = {source.module: source.path for source in files}
    own_roots = list(own_session.get("root_packages", []))
    ours_exclude = not config.type_checking_imports
    graph = build_graph(config, [config.root_package, *own_roots], ours_exclude, grimp_cache)
    session = {"root_packages": [config.root_package], "include_external_packages": "True"}
    locate = _Locator(config, path_of)
    violations: list[Violation] = []
    for spec in layer_contracts(config, files):
        options = _present_modules(spec.options, graph)
        if not options["source_modules"] or not options["forbidden_modules"]:
            continue
        contract = _contract_class("forbidden")(spec.name, session, {**options, "name": spec.name})
        check = contract.check(graph, verbose=False)
        for importer, imported, line in _links(check.metadata):
            violations.extend(
                locate.at(importer, line, spec, _message(spec, importer, imported, layer_of))
            )

    if own_specs:
        own_exclude = str(own_session.get("exclude_type_checking_imports", "")).lower() == "true"
        own_graph = graph
        if own_exclude != ours_exclude:
            own_graph = build_graph(
                config, [config.root_package, *own_roots], own_exclude, grimp_cache
            )
        own_session = {**own_session, "include_external_packages": "True"}
        for options in own_specs:
            violations.extend(_check_own(options, own_session, own_graph, own_file, locate))
    outside = sorted(source.module for source in files if source.module not in graph.modules)
    return ContractResult(violations, outside)


def _check_own(
    options: Mapping[str, Any],
    session: Mapping[str, Any],
    graph: Any,
    own_file: Path | None,
    locate: _Locator,
) -> list[Violation]:
    from importlinter.domain.contract import InvalidContractOptions

    name = options.get("name", options.get("id", "?"))
    file_name = own_file.name if own_file else "import-linter config"
    try:
        contract_class = _contract_class(options.get("type", ""), session)
        contract = contract_class(name, dict(session), dict(options))
        check = contract.check(copy.deepcopy(graph), verbose=False)
    except InvalidContractOptions as error:
        raise ConfigError(f"{file_name}: contract {name!r}: {error.errors}") from None
    except (ValueError, KeyError, ImportError, AttributeError) as error:
        raise ConfigError(f"{file_name}: contract {name!r}: {error}") from None
    spec = ContractSpec(name, options.get("type", ""), options, "ARC001", None)
    found: list[Violation] = []
    for importer, imported, line in _links(check.metadata):
        message = f"{importer} imports {imported}, which breaks the contract '{name}'"
        found.extend(locate.at(importer, line, spec, message))
    return found


def _message(
    spec: ContractSpec, importer: str, imported: str, layer_of: Mapping[str, str | None]
) -> str:
    layer = spec.layer or "?"
    if spec.code == "ARC002":
        return (
            f"the {layer} layer must not import the third-party package '{imported}' "
            f"(imported by {importer})"
        )
    allowed = [name for name in LAYER_NAMES if name in ALLOWED_LAYERS[layer]]
    rule = f"may import only {', '.join(allowed)}" if allowed else "may import no other layer"
    return (
        f"{importer} ({layer}) imports {imported} ({layer_of.get(imported)} layer): "
        f"the {layer} layer {rule}"
    )


def _present_modules(options: Mapping[str, object], graph: Any) -> dict[str, object]:
    """Drop modules grimp does not know (e.g. a file that is not in a package)."""
    present = dict(options)
    present["source_modules"] = [m for m in options["source_modules"] if m in graph.modules]  # type: ignore[union-attr]
    present["forbidden_modules"] = [m for m in options["forbidden_modules"] if m in graph.modules]  # type: ignore[union-attr]
    return present


def _contract_class(type_name: str, session: Mapping[str, Any] | None = None) -> type[Any]:
    """The contract class for a type name, including a config's own `contract_types`."""
    import importlib

    targets = dict(_BUILT_IN_TYPES)
    for entry in (session or {}).get("contract_types", []):
        custom_name, _, target = entry.partition(":")
        targets[custom_name.strip()] = target.strip()
    if type_name not in targets:
        raise ValueError(f"unknown contract type {type_name!r}")
    module_name, _, class_name = targets[type_name].rpartition(".")
    return getattr(importlib.import_module(module_name), class_name)


def _links(metadata: object) -> Iterator[tuple[str, str, int | None]]:
    """The first import of every broken chain in a ContractCheck's metadata.

    import-linter's metadata differs per contract type, but every type describes
    imports as dicts with `importer`, `imported` and `line_numbers`; a list of them
    that connect end to end is a chain, reported at its first import.
    """
    if isinstance(metadata, dict):
        if "importer" in metadata and "imported" in metadata:
            for line in metadata.get("line_numbers") or (None,):
                yield metadata["importer"], metadata["imported"], line
            return
        for value in metadata.values():
            yield from _links(value)
    elif isinstance(metadata, (list, tuple, set)):
        items = list(metadata)
        if (
            items
            and all(isinstance(i, dict) and "importer" in i for i in items)
            and all(a["imported"] == b["importer"] for a, b in itertools.pairwise(items))
        ):
            yield from _links(items[0])
            return
        for item in items:
            yield from _links(item)
    elif hasattr(metadata, "__dict__"):
        yield from _links(vars(metadata))


class _Locator:
    """Turns (module, line) into a positioned violation at the import statement."""

    def __init__(self, config: Config, path_of: Mapping[str, str]) -> None:
        self.config = config
        self.path_of = path_of
        self._lines: dict[str, list[str]] = {}

    def at(
        self, module: str, line: int | None, spec: ContractSpec, message: str
    ) -> list[Violation]:
        path = self.path_of.get(module) or self._find(module)
        if path is None:
            return []
        text = self._text(path)
        line = line or 1
        source_line = text[line - 1] if 0 < line <= len(text) else ""
        column = len(source_line) - len(source_line.lstrip()) + 1
        return [
            Violation(
                code=spec.code,
                name="layer-violation" if spec.code == "ARC001" else "forbidden-import",
                path=path,
                line=line,
                column=column,
                end_line=line,
                end_column=max(len(source_line.rstrip()) + 1, column),
                message=message,
                layer=spec.layer,
            )
        ]

    def _find(self, module: str) -> str | None:
        relative = module.replace(".", "/")
        bases = [self.config.root_dir.parent, self.config.project_dir]
        for base in bases:
            for candidate in (base / f"{relative}.py", base / relative / "__init__.py"):
                if candidate.is_file():
                    return candidate.relative_to(self.config.project_dir).as_posix()
        return None

    def _text(self, path: str) -> list[str]:
        if path not in self._lines:
            try:
                source = (self.config.project_dir / path).read_text(
                    encoding="utf-8", errors="replace"
                )
            except OSError:
                source = ""
            self._lines[path] = source.splitlines()
        return self._lines[path]
