"""Domain errors: what services raise instead of HTTP errors.

They carry no HTTP status and import no web framework, so services stay framework
free; `core.problem_details` maps each one to an RFC 9457 response.
"""


class DomainError(Exception):
    """Base of every error a service may raise on purpose."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    """The requested resource does not exist."""


class ConflictError(DomainError):
    """The change would break a uniqueness rule."""


class PermissionDeniedError(DomainError):
    """The caller is known but may not do this."""


class AuthenticationError(DomainError):
    """Credentials or token are missing, wrong, expired or forged."""


class ServiceUnavailableError(DomainError):
    """A backing service (the database) cannot serve requests right now."""
