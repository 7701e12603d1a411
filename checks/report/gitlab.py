"""`--format gitlab`: a GitLab Code Quality report (a subset of the Code Climate spec).

GitLab CI reads it from `artifacts:reports:codequality` and shows new and fixed
findings on the merge request. GitLab compares findings by fingerprint, so the
fingerprint leaves out line numbers: code, path, scope and message, plus an
occurrence number for identical findings in one scope.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable

from checks.analysis.model import Violation


def code_quality(violations: Iterable[Violation], path_prefix: str = "") -> list[dict[str, object]]:
    """The report's issues, one per violation, in report order."""
    seen: Counter[tuple[str, ...]] = Counter()
    issues = []
    for violation in sorted(violations, key=Violation.sort_key):
        identity = (violation.code, violation.path, violation.scope, violation.message)
        seen[identity] += 1
        digest = hashlib.sha256("\0".join((*identity, str(seen[identity]))).encode())
        issues.append(
            {
                "description": f"{violation.code} {violation.message}",
                "check_name": f"arch-check/{violation.code}",
                "fingerprint": digest.hexdigest()[:32],
                "severity": "major",
                "location": {
                    "path": f"{path_prefix}{violation.path}",
                    "lines": {"begin": violation.line, "end": violation.end_line},
                },
            }
        )
    return issues


def format_gitlab(violations: Iterable[Violation], path_prefix: str = "") -> str:
    """The Code Quality report as JSON text (an empty list when all is well)."""
    return json.dumps(code_quality(violations, path_prefix), indent=2) + "\n"
