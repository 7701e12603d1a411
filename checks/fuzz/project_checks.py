"""The project's own API rules, registered as schemathesis checks.

Importing this module registers them globally (schemathesis has one checks
registry); every run after that applies them next to the built-in checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import schemathesis

if TYPE_CHECKING:
    from schemathesis import Case, CheckContext, Response

# A hash in PHC or modular-crypt form (argon2, bcrypt, scrypt, pbkdf2, sha-crypt).
_HASH = re.compile(r"\$(argon2(id|i|d)|2[abxy]|scrypt|pbkdf2[-_a-z0-9]*|[56])\$", re.IGNORECASE)
_SECRET_KEYS = re.compile(r"password|passwd|secret|hash", re.IGNORECASE)
# Shorter "passwords" (fuzzers send "0") occur in any body by chance.
_MIN_ECHO_LENGTH = 8


def _strings(value: Any, secret: bool = False) -> Iterator[tuple[str, bool]]:
    """Every string in a request body, and whether it sits under a secret-looking key."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, secret or bool(_SECRET_KEYS.search(str(key))))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, secret)
    elif isinstance(value, str):
        yield value, secret


def _json_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_keys(item)


@schemathesis.check
def no_secrets_in_response(ctx: CheckContext, response: Response, case: Case) -> None:
    """Fail on a password, a password hash or the word argon2 in a response body.

    Also catches 422 bodies that echo the submitted password back.
    """
    text = response.content.decode("utf-8", "replace")
    if "argon2" in text.lower() or _HASH.search(text):
        raise AssertionError("Response body contains a password hash (or the word argon2)")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    leaked = [key for key in _json_keys(data) if re.search("password|passwd", key, re.IGNORECASE)]
    # Error bodies may name the invalid field; only a success body must not carry one.
    if leaked and response.status_code < 400:
        raise AssertionError(f"Response body has a password field: {leaked[0]!r}")
    sent = list(_strings(case.body))
    # A value the request also sent inside, say, the username may rightly come back.
    public = [value for value, secret in sent if not secret]
    for value, secret in sent:
        if not secret or len(value) < _MIN_ECHO_LENGTH or any(value in p for p in public):
            continue
        if value in text:
            raise AssertionError("Response body echoes the password the request sent")


@schemathesis.check
def errors_are_problem_json(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every 4xx/5xx must be RFC 9457 `application/problem+json`."""
    if response.status_code < 400:
        return
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.split(";")[0].strip().lower() == "application/problem+json":
        raise AssertionError(
            f"{response.status_code} answered with Content-Type {content_type or '(none)'!r}, "
            "expected application/problem+json"
        )


@schemathesis.check
def has_request_id(ctx: CheckContext, response: Response, case: Case) -> None:
    """Every response must carry `X-Request-ID`, so logs can be correlated."""
    if not (response.headers.get("x-request-id") or [""])[0]:
        raise AssertionError("Response has no X-Request-ID header")


PROJECT_CHECKS = ("no_secrets_in_response", "errors_are_problem_json", "has_request_id")
