"""Every operation of the reference app under schemathesis' checks and the project's.

The same engine run as `arch-check fuzz`: examples, coverage, fuzzing and
stateful phases, authenticated with a signed-up user's token so `ignored_auth`
proves that each protected operation answers 401 without it.
"""

from checks.fuzz import report
from checks.fuzz.runner import Options, run

# The default run replays the same examples, so CI fails only on a change to the app;
# a deep run (ARCH_CHECK_FUZZ_EXAMPLES set) explores new ones and prints its seed.
DEFAULT_SEED = 20261124


def test_no_operation_fails_any_check(fuzz_app, sign_up, examples, deep):
    options = Options(max_examples=examples, seed=None if deep else DEFAULT_SEED)
    result = run(fuzz_app, options, auth=sign_up)

    assert result.operations >= 10
    assert result.scenarios.get("stateful", 0) > 0, "no stateful (linked) scenario ran"
    assert not result.findings and not result.errors, report.as_text(result)
