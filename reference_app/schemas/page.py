"""The generic page of a paginated list."""

from typing import Generic, TypeVar

from pydantic import BaseModel

ItemT = TypeVar("ItemT")


class Page(BaseModel, Generic[ItemT]):
    """One page of results and where it sits in the whole list."""

    items: list[ItemT]
    total: int
    limit: int
    offset: int
