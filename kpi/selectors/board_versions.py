"""The data version tokens cached pages and numbers are keyed on (written by services/board_cache.py),
and the one fail-open read-through of Django's cache they are kept in."""

import logging
from collections.abc import Callable

from django.core.cache import cache

from ..models import BoardVersion

log = logging.getLogger(__name__)

ALL = "all"  # every board: holidays, definitions, people, teams
ORG = "org"  # the organisation board: every bump includes it
TARGETS = "targets"  # team targets (selectors/targets.py team_period_targets): every target write


def board_tokens(keys: list[str]) -> tuple[int, ...]:
    """The current tokens of `keys` in one query (0 for a key never bumped)."""
    found = dict(BoardVersion.objects.filter(key__in=keys).values_list("key", "token"))
    return tuple(found.get(k, 0) for k in keys)


def cached(key: str, compute: Callable, timeout: int):
    """The cached value of `key`, or `compute()` stored under it. A failing cache (Redis down) costs the
    computation, never the page: it is not asked again to store what it could not read."""
    try:
        value = cache.get(key)
    except Exception:
        log.warning("cache unavailable (get %s)", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception:
            log.warning("cache unavailable (set %s)", key, exc_info=True)
    return value
