"""The Redis cache adapter against a real Redis, under a prefix unique to the test."""

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from reference_app.core.cache import RedisCache

pytestmark = pytest.mark.redis


async def test_set_get_delete_and_expiry(redis_url: str) -> None:
    prefix = f"arch_check_test:{uuid.uuid4().hex}:"
    cache = RedisCache(redis_url, prefix=prefix)
    raw = Redis.from_url(redis_url, decode_responses=True)
    try:
        assert await cache.get("user:1") is None
        await cache.set("user:1", '{"id": 1}', ttl_seconds=60)
        assert await cache.get("user:1") == '{"id": 1}'
        assert await raw.get(f"{prefix}user:1") == '{"id": 1}'
        assert 0 < await raw.ttl(f"{prefix}user:1") <= 60
        await cache.delete("user:1")
        assert await cache.get("user:1") is None
        await cache.set("short", "lived", ttl_seconds=1)
        await asyncio.sleep(1.2)
        assert await cache.get("short") is None
    finally:
        keys = [key async for key in raw.scan_iter(match=f"{prefix}*")]
        if keys:
            await raw.delete(*keys)
        await raw.aclose()
        await cache.close()


async def test_app_uses_redis_when_configured(
    redis_url, settings_factory, app_factory, database_url
) -> None:
    import httpx

    prefix = f"arch_check_test:{uuid.uuid4().hex}:"
    settings = settings_factory(database_url, redis_url=redis_url, cache_key_prefix=prefix)
    raw = Redis.from_url(redis_url, decode_responses=True)
    try:
        async with app_factory(settings) as app:
            assert isinstance(app.state.cache, RedisCache)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                user = {"email": "r@example.com", "username": "redis", "password": "password1"}
                user_id = (await client.post("/api/v1/users", json=user)).json()["id"]
                assert (await client.get(f"/api/v1/users/{user_id}")).status_code == 200
                assert await raw.exists(f"{prefix}user:{user_id}")
    finally:
        keys = [key async for key in raw.scan_iter(match=f"{prefix}*")]
        if keys:
            await raw.delete(*keys)
        await raw.aclose()
