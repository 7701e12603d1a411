"""Field types shared by the request schemas."""

from typing import Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

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


# Lets clients (and fuzzers) know from the OpenAPI schema that NUL is rejected.
NO_NUL_PATTERN = r"^[^\u0000]*$"


class _Storable:
    """`_storable` as an after-validator that also documents the NUL ban in the schema."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(_storable, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.setdefault("pattern", NO_NUL_PATTERN)
        return json_schema


# Length constraints go before `Storable`, so their errors keep Pydantic's clear wording.
Storable = _Storable()
Password = Annotated[str, Field(min_length=8, max_length=128), Storable]
Username = Annotated[str, Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")]
