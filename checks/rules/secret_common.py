"""Names of passwords, hashes and secrets, shared by ARC501, ARC502 and ARC503.

Judged by the words of a name (`hashed_password` -> hashed, password; `apiKey` -> api,
key), and by its *last* word, so `password_changed_at`, `password_reset_token`,
`secret_name` and `access_token_expire_minutes` are not taken for the secret itself.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable
from functools import lru_cache

import libcst as cst

from checks.analysis.names import dotted

PASSWORD_WORDS = frozenset({"password", "passwd", "pwd", "passphrase"})
HASH_WORDS = frozenset({"hash", "hashed", "digest", "encrypted", "crypted", "hashpw", "salted"})
# Qualifiers that make a `*_key` name a credential rather than a lookup key (`cache_key`).
KEY_QUALIFIERS = frozenset(
    {"secret", "api", "private", "signing", "encryption", "jwt", "hmac", "master", "fernet"}
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
# Types a leaked secret has; a bool, a number, a date or a nested model is something else.
_NOT_SECRET_TYPES = frozenset(
    {
        "builtins.bool",
        "builtins.int",
        "builtins.float",
        "datetime.datetime",
        "datetime.date",
        "datetime.timedelta",
        "uuid.UUID",
        "pydantic.SecretStr",
        "pydantic.SecretBytes",
        "pydantic.types.SecretStr",
        "pydantic.types.SecretBytes",
    }
)


def words(name: str) -> list[str]:
    """The lower-case words of a snake_case, camelCase or UPPER_CASE name."""
    return [w.lower() for w in _WORD.findall(name)]


# The name tests are cached: ARC501 asks them of every keyword argument of every call,
# ARC502 of every schema field, and a code base repeats the same few hundred names.
@lru_cache(maxsize=4096)
def is_password_name(name: str) -> bool:
    """A password or its hash: `password`, `user_pwd`, `hashed_password`, `password_hash`."""
    found = words(name)
    if not found:
        return False
    if found[-1] in PASSWORD_WORDS:
        return True
    return found[-1] in HASH_WORDS and any(w in PASSWORD_WORDS for w in found)


@lru_cache(maxsize=4096)
def is_hash_name(name: str) -> bool:
    """A name that says it holds a hash (`hashed_password`, `password_hash`)."""
    return any(w in HASH_WORDS for w in words(name))


def is_plain_password_name(name: str) -> bool:
    """A password as typed: a password name that does not say it holds a hash."""
    return is_password_name(name) and not is_hash_name(name)


@lru_cache(maxsize=4096)
def secret_kind(name: str) -> str | None:
    """What secret a field name holds ("password", "password hash", "secret", "API key")."""
    found = words(name)
    if not found:
        return None
    last = found[-1]
    if is_password_name(name):
        return "password hash" if is_hash_name(name) else "password"
    if "secret" in found and last in ("secret", "key", "token", "value"):
        return "secret"
    if last == "apikey" or (last == "key" and len(found) > 1 and found[-2] in KEY_QUALIFIERS):
        return "API key" if found[-2:] in (["api", "key"], ["apikey"]) else "key"
    return None


def secret_setting_kind(name: str) -> str | None:
    """A setting that holds a credential: a secret, password, key or token."""
    kind = secret_kind(name)
    if kind is not None:
        return kind
    found = words(name)
    if found and found[-1] == "token":
        return "token"
    return None


def not_secret_type(types: Iterable[str], project_classes: Container[str]) -> bool:
    """Whether declared types show a value that is not a leakable string (bool, date, model)."""
    return any(t in _NOT_SECRET_TYPES or t in project_classes for t in types)


def read_name(node: cst.BaseExpression) -> str | None:
    """The name a value is read under: `password`, `form.password`, `data["password"]`."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return node.attr.value
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            value = index.value.evaluated_value
            return value if isinstance(value, str) else None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        method = node.func.attr.value
        if method == "get_secret_value":
            return read_name(node.func.value)
        if method == "get" and node.args and isinstance(node.args[0].value, cst.SimpleString):
            value = node.args[0].value.evaluated_value
            return value if isinstance(value, str) else None
    return None


def owner(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The object a value is read from: `form` of `form.password`, `data` of `data["pwd"]`."""
    if isinstance(node, cst.Attribute):
        return node.value
    if isinstance(node, cst.Subscript):
        return node.value
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value == "get_secret_value":
            return owner(node.func.value)
        return node.func.value
    return None


def owner_text(node: cst.BaseExpression) -> str | None:
    """`form` for `form.password`, None for a bare name or an unnamed owner."""
    found = owner(node)
    return dotted(found) if found is not None else None
