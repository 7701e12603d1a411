"""Measure arch-check on a generated repository, next to lint-imports and a bare libcst parse.

All in one run on the same files: a bare single-process libcst parse, arch-check
cold (empty cache), warm (nothing changed) and after one changed file, and
lint-imports checking the same contracts. Times are wall-clock seconds of the
commands as a user runs them; ratios are to the bare parse. Each measure is the
best of `--repeat` rounds, and the rounds interleave the measures, so a shared
machine that slows down for a while slows every measure alike. The work column
shows how many files each arch-check run parsed (a warm run that parsed files found
its cache stale, e.g. because arch-check's own code changed in between).

    python -m bench.run --lines 100000 --layout layer
    python -m bench.run --lines 2000 --layout domain --jobs 2 --repeat 1   # a smoke run
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import libcst

from bench.generate import generate
from checks.engine import load_config
from checks.engine.contracts import layer_contracts
from checks.engine.discovery import discover

OUT = Path(__file__).parent / "out"


def bare_parse(folder: Path) -> tuple[float, int]:
    """Seconds to parse every file of the app once with libcst, in this process."""
    sources = [path.read_bytes() for path in sorted((folder / "app").rglob("*.py"))]
    started = time.perf_counter()
    for source in sources:
        libcst.parse_module(source)
    return time.perf_counter() - started, len(sources)


def timed(command: list[str], folder: Path) -> tuple[float, str]:
    """Wall-clock seconds of a command run in `folder`, and what arch-check -v says it did."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{completed.stderr}")
    work = re.search(r"files; (parsed \d+)", completed.stderr)
    return elapsed, work.group(1) if work else ""


def write_lint_imports_config(folder: Path) -> Path:
    """The contracts arch-check builds, as an import-linter INI file beside the project."""
    config = load_config(folder)
    lines = [
        "[importlinter]",
        f"root_package = {config.root_package}",
        "include_external_packages = True",
        "exclude_type_checking_imports = True",
        "",
    ]
    for number, spec in enumerate(layer_contracts(config, discover(config))):
        lines += [f"[importlinter:contract:{number}]", f"name = {spec.name}", f"type = {spec.type}"]
        for key, value in spec.options.items():
            if isinstance(value, list):
                lines.append(f"{key} =")
                lines += [f"    {item}" for item in value]
            else:
                lines.append(f"{key} = {value}")
        lines.append("")
    path = folder.parent / f"{folder.name}.importlinter.ini"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def change_one_file(folder: Path) -> None:
    """A typical edit inside a function body of one service (no signature changes)."""
    for service in sorted((folder / "app").rglob("*.py")):
        text = service.read_text(encoding="utf-8")
        if "value.strip()" in text:
            service.write_text(text.replace("value.strip()", "value.strip().lower()", 1), "utf-8")
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--layout", choices=("layer", "domain"), default="layer")
    parser.add_argument("--jobs", type=int, help="arch-check --jobs (default: CPU count)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; each measure is the best")
    options = parser.parse_args()
    if options.repeat < 1:
        parser.error("--repeat: expected a positive number")

    folder = OUT / f"{options.layout}-{options.lines}"
    total = generate(folder, options.lines, options.layout)
    arch_check = [sys.executable, "-m", "checks", "-q", "-v"]
    if options.jobs:
        arch_check += ["--jobs", str(options.jobs)]
    lint_imports = [
        str(Path(sys.executable).with_name("lint-imports")),
        "--config",
        str(write_lint_imports_config(folder)),
        "--no-cache",
    ]

    rounds = []
    for _ in range(options.repeat):
        parse_seconds, file_count = bare_parse(folder)
        shutil.rmtree(folder / ".arch-check-cache", ignore_errors=True)
        cold = timed(arch_check, folder)
        warm = timed(arch_check, folder)
        change_one_file(folder)
        changed = timed(arch_check, folder)
        contracts = timed(lint_imports, folder)
        rounds.append(((parse_seconds, f"parsed {file_count}"), cold, warm, changed, contracts))
    best = [min(measure, key=lambda timing: timing[0]) for measure in zip(*rounds, strict=True)]
    parse_seconds = best[0][0]

    print(f"{folder}: {total} lines in {file_count} files ({options.layout}-first)")
    print(f"best of {options.repeat} rounds")
    print(f"{'measure':<34}{'seconds':>9}{'x bare parse':>14}  work")
    labels = (
        "bare libcst parse, 1 process",
        "arch-check cold",
        "arch-check warm (nothing changed)",
        "arch-check one changed file",
        "lint-imports, same contracts",
    )
    for label, (seconds, work) in zip(labels, best, strict=True):
        print(f"{label:<34}{seconds:>9.2f}{seconds / parse_seconds:>14.2f}  {work}")


if __name__ == "__main__":
    main()
