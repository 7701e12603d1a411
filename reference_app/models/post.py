"""The posts table: each post belongs to the user who wrote it."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reference_app.models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from reference_app.models.user import User


class Post(TimestampMixin, Base):
    """A post written by `author`."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

    author: Mapped["User"] = relationship(back_populates="posts", lazy="raise")
