"""RFC 9457 problem details, as documented in the OpenAPI schema."""

from pydantic import BaseModel


class ValidationIssue(BaseModel):
    """One reason a request was rejected with 422."""

    loc: list[str | int]
    msg: str
    type: str


class ProblemDetails(BaseModel):
    """The body of every error response (`application/problem+json`)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ValidationIssue] | None = None
