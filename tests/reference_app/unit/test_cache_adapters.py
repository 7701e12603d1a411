"""The in-memory cache adapter."""

import time

from reference_app.core.cache import InMemoryCache, RedisCache, build_cache


async def test_set_get_delete_and_expiry(monkeypatch) -> None:
    cache = InMemoryCache()
    await cache.set("k", "v", ttl_seconds=10)
    assert await cache.get("k") == "v"
    await cache.delete("k")
    assert await cache.get("k") is None
    await cache.set("k", "v", ttl_seconds=10)
    later = time.monotonic() + 11
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert await cache.get("k") is None


async def test_build_cache_picks_the_adapter() -> None:
    assert isinstance(build_cache(None, prefix="p:"), InMemoryCache)
    redis = build_cache("redis://127.0.0.1:1/0", prefix="p:")  # no connection until used
    assert isinstance(redis, RedisCache)
    await redis.close()
