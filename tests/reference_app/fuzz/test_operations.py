"""Every operation of the reference app under schemathesis' checks and the project's.

The same engine run as `arch-check fuzz`: examples, coverage, fuzzing and
stateful phases, authenticated with a signed-up user's token so `ignored_auth`
proves that each protected operation answers 401 without it.
"""

from checks.fuzz import report
from checks.fuzz.runner import Options, run


def test_no_operation_fails_any_check(fuzz_app, sign_up, examples):
    result = run(fuzz_app, Options(max_examples=examples), auth=sign_up)

    assert result.operations >= 10
    assert result.scenarios.get("stateful", 0) > 0, "no stateful (linked) scenario ran"
    assert not result.findings and not result.errors, report.as_text(result)
