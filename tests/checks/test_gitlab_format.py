"""`--format gitlab`: a Code Quality report GitLab can diff between branches."""

import json

from checks.analysis.model import Violation
from checks.report.gitlab import format_gitlab


def _violation(line: int, scope: str = "list_users") -> Violation:
    return Violation(
        "ARC102", "route-db-access", "app/api/users.py", line, 5, line, 20, "queries", "api", scope
    )


def test_issues_have_the_fields_gitlab_requires():
    (issue,) = json.loads(format_gitlab([_violation(7)], path_prefix="backend/"))
    assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert issue["check_name"] == "arch-check/ARC102"
    assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert issue["location"] == {
        "path": "backend/app/api/users.py",
        "lines": {"begin": 7, "end": 7},
    }


def test_fingerprints_survive_moves_and_tell_duplicates_apart():
    before = json.loads(format_gitlab([_violation(7), _violation(9)]))
    after = json.loads(format_gitlab([_violation(17), _violation(19)]))
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert before[0]["fingerprint"] != before[1]["fingerprint"]
    other_scope = json.loads(format_gitlab([_violation(7, scope="get_user")]))
    assert other_scope[0]["fingerprint"] != before[0]["fingerprint"]


def test_no_violations_is_an_empty_report():
    assert json.loads(format_gitlab([])) == []
