"""Field types shared by the request schemas."""

from typing import Annotated

from pydantic import AfterValidator, Field

# Primary keys are 32-bit integers on every backend; larger ids cannot exist.
MAX_ID = 2**31 - 1
# SQL OFFSET is a signed 64-bit integer.
MAX_OFFSET = 2**63 - 1


def _storable(value: str) -> str:
    """Reject what a database cannot store: NUL characters and lone surrogates."""
    if "\x00" in value:
        msg = "must not contain NUL characters"
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        msg = "must be valid Unicode text"
        raise ValueError(msg) from None
    return value


# Length constraints go before `Storable`, so their errors keep Pydantic's clear wording.
Storable = AfterValidator(_storable)
Password = Annotated[str, Field(min_length=8, max_length=128), Storable]
Username = Annotated[str, Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")]
