"""Render a fuzz result as text, JSON or JUnit XML."""

from __future__ import annotations

import json
from collections import Counter
from xml.etree import ElementTree as ET

from checks.fuzz.runner import Finding, Result


def summary_line(result: Result) -> str:
    """One line: how many operations, failures and errors."""
    failures = len(result.findings)
    verdict = "FAILED" if failures else "passed"
    line = f"fuzz {verdict}: {failures} failure(s) in {result.operations} operation(s)"
    if result.errors:
        line += f", {len(result.errors)} error(s)"
    if result.seed is not None:
        line += f" (seed {result.seed})"
    return line


def _text_finding(finding: Finding) -> str:
    lines = [f"FAIL {finding.operation} [{finding.check}] {finding.title}"]
    lines += [f"    {line}" for line in finding.message.splitlines() if line.strip()]
    lines.append("  reproduce:")
    for curl in finding.curl:
        lines += [f"    {line}" for line in curl.splitlines()]
    if finding.status is not None:
        lines.append(f"  response: {finding.status} {finding.body}")
    return "\n".join(lines)


def as_text(result: Result) -> str:
    """Each finding as a block, then errors, then the summary line."""
    blocks = [_text_finding(finding) for finding in result.findings]
    blocks += [f"ERROR {error}" for error in result.errors]
    return "\n\n".join([*blocks, summary_line(result)]) + "\n"


def as_json(result: Result) -> str:
    """Render one stable JSON object (`version` 1) for CI tooling."""
    return (
        json.dumps(
            {
                "version": 1,
                "failures": [
                    {
                        "operation": f.operation,
                        "check": f.check,
                        "title": f.title,
                        "message": f.message,
                        "curl": list(f.curl),
                        "status": f.status,
                        "body": f.body,
                    }
                    for f in result.findings
                ],
                "errors": result.errors,
                "summary": {
                    "operations": result.operations,
                    "failures": len(result.findings),
                    "errors": len(result.errors),
                    "by_check": dict(Counter(f.check for f in result.findings)),
                    "scenarios": result.scenarios,
                    "seed": result.seed,
                },
            },
            indent=2,
        )
        + "\n"
    )


def as_junit(result: Result) -> str:
    """Render one testcase per operation, failed with all its findings (what CI groups by)."""
    by_operation: dict[str, list[Finding]] = {label: [] for label in result.tested}
    for finding in result.findings:
        by_operation.setdefault(finding.operation, []).append(finding)
    suite = ET.Element(
        "testsuite",
        name="arch-check fuzz",
        tests=str(len(by_operation) + len(result.errors)),
        failures=str(sum(1 for found in by_operation.values() if found)),
        errors=str(len(result.errors)),
    )
    for operation, found in by_operation.items():
        case = ET.SubElement(suite, "testcase", classname="arch-check fuzz", name=operation)
        if found:
            checks = ", ".join(dict.fromkeys(f.check for f in found))
            failure = ET.SubElement(case, "failure", message=f"failed: {checks}")
            failure.text = "\n\n".join(_text_finding(f) for f in found)
    for error in result.errors:
        case = ET.SubElement(suite, "testcase", classname="arch-check fuzz", name="error")
        ET.SubElement(case, "error", message=error.splitlines()[0])
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "junit": as_junit}
