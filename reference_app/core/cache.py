"""The cache port and its two adapters: in-process memory and Redis.

Values are strings (services store JSON of read schemas, never ORM objects). The
in-memory cache is per process: with several workers, use Redis (`REDIS_URL`).
"""

import time
from typing import Protocol, cast

from redis.asyncio import Redis


class Cache(Protocol):
    """What services need from a cache."""

    async def get(self, key: str) -> str | None:
        """Return the value stored under `key`, or None."""
        ...

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        """Store `value` under `key` for `ttl_seconds`."""
        ...

    async def delete(self, key: str) -> None:
        """Forget `key`."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class InMemoryCache:
    """A dict with expiry times: the default when no Redis is configured."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, str]] = {}

    async def get(self, key: str) -> str | None:
        """Return the live value under `key`, dropping it once expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= time.monotonic():
            self._entries.pop(key, None)
            return None
        return value

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        """Store `value` until `ttl_seconds` from now."""
        self._entries[key] = (time.monotonic() + ttl_seconds, value)

    async def delete(self, key: str) -> None:
        """Forget `key`."""
        self._entries.pop(key, None)

    async def close(self) -> None:
        """Drop every entry."""
        self._entries.clear()


class RedisCache:
    """Redis adapter; every key gets `prefix` so apps sharing a server do not collide."""

    def __init__(self, url: str, *, prefix: str) -> None:
        self._redis = Redis.from_url(url, decode_responses=True)
        self._prefix = prefix

    async def get(self, key: str) -> str | None:
        """Return the value under `key`, or None."""
        # decode_responses=True: Redis returns str, though redis-py types it str | bytes.
        return cast("str | None", await self._redis.get(self._prefix + key))

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        """Store `value` under `key`, expiring after `ttl_seconds`."""
        await self._redis.set(self._prefix + key, value, ex=ttl_seconds)

    async def delete(self, key: str) -> None:
        """Forget `key`."""
        await self._redis.delete(self._prefix + key)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._redis.aclose()


def build_cache(redis_url: str | None, *, prefix: str) -> Cache:
    """Return the Redis adapter when a URL is configured, else the in-memory one."""
    if redis_url:
        return RedisCache(redis_url, prefix=prefix)
    return InMemoryCache()
