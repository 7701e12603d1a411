"""Logging in (password to token) and resolving a token to its user."""

from reference_app.core.exceptions import AuthenticationError
from reference_app.core.security import PasswordHasher, TokenCodec
from reference_app.models import User
from reference_app.schemas.auth import Token
from reference_app.schemas.user import UserRead
from reference_app.services.ports import UserRepositoryPort

WRONG_CREDENTIALS = "incorrect username or password"


class AuthService:
    """Business rules for authentication."""

    def __init__(
        self, users: UserRepositoryPort, *, hasher: PasswordHasher, tokens: TokenCodec
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._tokens = tokens

    async def login(self, login: str, password: str) -> Token:
        """Exchange a username or email and its password for an access token."""
        user = await self._find_by_login(login)
        if user is None:
            # Same work as a real check, so timing does not reveal which accounts exist.
            await self._hasher.dummy_verify(password)
            raise AuthenticationError(WRONG_CREDENTIALS)
        valid, new_hash = await self._hasher.verify_and_update(password, user.password_hash)
        if not valid:
            raise AuthenticationError(WRONG_CREDENTIALS)
        if new_hash is not None:
            # The hashing parameters changed since this hash was made: upgrade it now.
            await self._users.update(user, password_hash=new_hash)
        return Token(access_token=self._tokens.issue(str(user.id)))

    async def current_user(self, token: str) -> UserRead:
        """Return the user a valid token was issued to."""
        subject = self._tokens.subject(token)
        user = await self._users.get(int(subject)) if subject.isdecimal() else None
        if user is None:
            raise AuthenticationError("invalid or expired token")
        return UserRead.model_validate(user)

    async def _find_by_login(self, login: str) -> User | None:
        if "@" in login:
            return await self._users.get_by_email(login.lower())
        return await self._users.get_by_username(login)
