"""A Redis cache that fails open: when Redis is down, reads miss and writes are dropped.

The cache only ever holds copies (rendered boards keyed by data version, sessions written through to
the database), so losing it costs speed, never correctness. Django's RedisCache raises on a refused or
timed-out connection, which turned every page and the login into a 500 while Redis was down. After a
failure the cache is skipped for RETRY_AFTER seconds, so an outage costs one bounded connection attempt
per process and interval, not one per request.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0
_FAILURES = (RedisError, OSError)


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            already_down = self._is_down()
            self._down_until = time.monotonic() + RETRY_AFTER
        if not already_down:
            logger.warning("cache unavailable during %s, serving without it: %s", operation, error)

    def _guard(self, operation: str, call, fallback):
        if self._is_down():
            return fallback
        try:
            return call()
        except _FAILURES as error:
            self._failed(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guard("get", lambda: super(FailOpenRedisCache, self).get(key, default, version), default)

    def get_many(self, keys, version=None):
        return self._guard("get_many", lambda: super(FailOpenRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._guard("has_key", lambda: super(FailOpenRedisCache, self).has_key(key, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._guard("set", lambda: super(FailOpenRedisCache, self).set(key, value, **kwargs), None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._guard("add", lambda: super(FailOpenRedisCache, self).add(key, value, **kwargs), False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._guard("set_many", lambda: super(FailOpenRedisCache, self).set_many(data, **kwargs), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        kwargs = {"timeout": timeout, "version": version}
        return self._guard("touch", lambda: super(FailOpenRedisCache, self).touch(key, **kwargs), False)

    def delete(self, key, version=None):
        return self._guard("delete", lambda: super(FailOpenRedisCache, self).delete(key, version), False)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", lambda: super(FailOpenRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._guard("clear", lambda: super(FailOpenRedisCache, self).clear(), False)
