"""The baseline: moved code stays known, renamed files are new, duplicates are counted."""

from pathlib import Path

import pytest

from checks.adopt.baseline import (
    BaselineError,
    apply_baseline,
    line_reader,
    load_baseline,
    write_baseline,
)
from checks.analysis.model import Violation

HANDLER = """\
@router.get("/users")
async def list_users(session: Session):
    rows = await session.execute(select(User))
    return rows
"""


def _violations(root: Path, path: str, needle: str = "session.execute") -> list[Violation]:
    """What a rule would report: every line of `path` containing `needle`, in list_users."""
    found = []
    for number, line in enumerate((root / path).read_text().splitlines(), start=1):
        if needle in line:
            column = line.index(needle) + 1
            found.append(
                Violation(
                    "ARC102",
                    "route-db-access",
                    path,
                    number,
                    column,
                    number,
                    column + len(needle),
                    "route queries the database",
                    "api",
                    scope="list_users",
                )
            )
    return found


def _round_trip(tmp_path: Path, before: str, after: str, path_after: str = "app/api/users.py"):
    (tmp_path / "app/api").mkdir(parents=True, exist_ok=True)
    (tmp_path / "app/api/users.py").write_text(before)
    baseline_file = tmp_path / "baseline.json"
    recorded = write_baseline(
        baseline_file, _violations(tmp_path, "app/api/users.py"), line_reader(tmp_path)
    )
    (tmp_path / "app/api/users.py").unlink()
    (tmp_path / path_after).write_text(after)
    today = _violations(tmp_path, path_after)
    result = apply_baseline(today, load_baseline(baseline_file), line_reader(tmp_path))
    return recorded, today, result


def test_code_moved_down_by_an_unrelated_edit_is_still_known(tmp_path):
    moved = '"""Users."""\n\nimport logging\n\n\n' + HANDLER.replace(
        "    rows", "    # fetch\n    rows"
    )
    recorded, today, result = _round_trip(tmp_path, HANDLER, moved)
    assert recorded == 1
    assert today[0].line != 3  # the line number changed...
    assert result.new == []  # ...and the violation is still the known one
    assert (result.known, result.fixed) == (1, 0)


def test_reindented_offending_line_is_still_known(tmp_path):
    _, _, result = _round_trip(
        tmp_path, HANDLER, HANDLER.replace("rows = await", "rows  =   await")
    )
    assert result.new == [] and result.fixed == 0


def test_renamed_file_is_new_and_the_old_entry_fixed(tmp_path):
    _, today, result = _round_trip(tmp_path, HANDLER, HANDLER, path_after="app/api/accounts.py")
    assert result.new == today
    assert (result.known, result.fixed) == (0, 1)


def test_duplicates_in_one_function_are_counted(tmp_path):
    two = HANDLER.replace(
        "    return rows", "    rows = await session.execute(select(User))\n    return rows"
    )
    three = two.replace(
        "    return rows", "    rows = await session.execute(select(User))\n    return rows"
    )
    recorded, today, result = _round_trip(tmp_path, two, three)
    assert recorded == 2 and len(today) == 3
    assert result.new == [today[2]]  # one new: the last of the identical ones
    assert (result.known, result.fixed) == (2, 0)
    entries = load_baseline(tmp_path / "baseline.json").counts
    assert list(entries.values()) == [2]  # one entry, counted twice


def test_fewer_duplicates_than_recorded_are_reported_fixed(tmp_path):
    two = HANDLER.replace(
        "    return rows", "    rows = await session.execute(select(User))\n    return rows"
    )
    _, _, result = _round_trip(tmp_path, two, HANDLER)
    assert result.new == [] and (result.known, result.fixed) == (1, 1)


def test_a_changed_offending_line_is_new(tmp_path):
    changed = HANDLER.replace("select(User)", "select(User).limit(10)")
    _, today, result = _round_trip(tmp_path, HANDLER, changed)
    assert result.new == today and result.fixed == 1


def test_fixed_is_not_counted_for_files_outside_a_limited_run(tmp_path):
    (tmp_path / "app/api").mkdir(parents=True)
    (tmp_path / "app/api/users.py").write_text(HANDLER)
    baseline_file = tmp_path / "baseline.json"
    write_baseline(baseline_file, _violations(tmp_path, "app/api/users.py"), line_reader(tmp_path))
    baseline = load_baseline(baseline_file)
    reader = line_reader(tmp_path)
    assert (
        apply_baseline(
            [], baseline, reader, in_scope=lambda path, code: path == "app/api/other.py"
        ).fixed
        == 0
    )
    assert (
        apply_baseline(
            [], baseline, reader, in_scope=lambda path, code: path == "app/api/users.py"
        ).fixed
        == 1
    )


def test_the_file_is_stable_and_reviewable(tmp_path):
    (tmp_path / "app/api").mkdir(parents=True)
    (tmp_path / "app/api/users.py").write_text(HANDLER)
    violations = _violations(tmp_path, "app/api/users.py")
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(first, violations, line_reader(tmp_path))
    write_baseline(second, list(reversed(violations)), line_reader(tmp_path))
    assert first.read_text() == second.read_text()
    text = first.read_text()
    assert '"path": "app/api/users.py"' in text and '"scope": "list_users"' in text
    assert '"line"' not in text  # line numbers would make every edit churn the file


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "not found"),
        ("{", "cannot read"),
        ('{"version": 9}', "not an arch-check baseline"),
        ('{"version": 1, "violations": [{"count": 1}]}', "without"),
    ],
)
def test_bad_baseline_files_give_one_line(tmp_path, content, problem):
    file = tmp_path / "baseline.json"
    if content is not None:
        file.write_text(content)
    with pytest.raises(BaselineError, match=problem) as error:
        load_baseline(file)
    assert "\n" not in str(error.value)
