"""`--format json`: the stable JSON shape of DESIGN.md section 3."""

from __future__ import annotations

import json

from checks.engine import CheckResult

JSON_VERSION = 1


def format_json(result: CheckResult) -> str:
    """One JSON object: version, violations (sorted), and a summary with counts per code."""
    document = {
        "version": JSON_VERSION,
        "violations": [
            {
                "code": v.code,
                "name": v.name,
                "path": v.path,
                "line": v.line,
                "column": v.column,
                "end_line": v.end_line,
                "end_column": v.end_column,
                "message": v.message,
                "layer": v.layer,
            }
            for v in result.violations
        ],
        "summary": {
            "files": result.files,
            "violations": len(result.violations),
            "by_code": result.by_code,
        },
    }
    return json.dumps(document, indent=2) + "\n"
