"""Post requests and the post read model."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from reference_app.schemas.common import Storable

Title = Annotated[str, Field(min_length=1, max_length=200), Storable]
Body = Annotated[str, Field(min_length=1, max_length=10_000), Storable]


class PostCreate(BaseModel):
    """New post."""

    title: Title
    body: Body


class PostUpdate(BaseModel):
    """Changes to a post; omitted fields stay as they are."""

    title: Title | None = None
    body: Body | None = None


class PostRead(BaseModel):
    """A post as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    author_id: int
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
