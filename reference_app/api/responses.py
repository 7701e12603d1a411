"""OpenAPI documentation of error responses as `application/problem+json`."""

from typing import Any

PROBLEM_SCHEMA_REF = {"$ref": "#/components/schemas/ProblemDetails"}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Document that these statuses answer with problem details."""
    return {
        status: {"content": {"application/problem+json": {"schema": PROBLEM_SCHEMA_REF}}}
        for status in statuses
    }
