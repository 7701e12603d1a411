"""User requests and the public user read model."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from reference_app.schemas.common import Password, Username

# Stored and compared lower-case, so one mailbox cannot register twice.
Email = Annotated[EmailStr, Field(max_length=255), AfterValidator(str.lower)]


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
