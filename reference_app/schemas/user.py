"""User requests and the public user read model."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from reference_app.schemas.common import Password, Username

# email-validator wants a dotted domain ending in a letter and rejects special-use domains
# (RFC 6761); the pattern says so in the schema, for clients and fuzzers.
SPECIAL_USE_DOMAINS = "arpa|invalid|local|localhost|onion|test"
EMAIL_PATTERN = rf"^[^@]+@(?!(?:.*\.)?(?:{SPECIAL_USE_DOMAINS})$)[^@]+\.[^@.]*[A-Za-z]$"
# Stored and compared lower-case, so one mailbox cannot register twice.
# 254: the longest address email-validator (RFC 5321) accepts.
Email = Annotated[
    EmailStr,
    Field(max_length=254, json_schema_extra={"pattern": EMAIL_PATTERN}),
    AfterValidator(str.lower),
]


class UserCreate(BaseModel):
    """Sign-up request."""

    email: Email
    username: Username
    password: Password


class UserUpdate(BaseModel):
    """Changes to the caller's own account; omitted fields stay as they are."""

    email: Email | None = None
    username: Username | None = None
    password: Password | None = None


class UserRead(BaseModel):
    """A user as the API shows it: no password, no hash."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    username: str
    created_at: datetime
    updated_at: datetime
