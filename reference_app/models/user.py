"""The users table."""

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reference_app.models.base import Base, TimestampMixin

if TYPE_CHECKING:
    from reference_app.models.post import Post


class User(TimestampMixin, Base):
    """An account; only the argon2 hash of the password is stored."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))

    # lazy="raise": an unplanned lazy load in async code fails loudly instead of blocking.
    # passive_deletes: the database's ON DELETE CASCADE removes the posts, nothing is loaded.
    posts: Mapped[list["Post"]] = relationship(
        back_populates="author",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
