"""The data version tokens cached pages and numbers are keyed on (written by services/board_cache.py)."""

from ..models import BoardVersion

ALL = "all"  # every board: holidays, definitions, people, teams
ORG = "org"  # the organisation board: every bump includes it
TARGETS = "targets"  # team targets (selectors/targets.py team_period_targets): every target write


def board_tokens(keys: list[str]) -> tuple[int, ...]:
    """The current tokens of `keys` in one query (0 for a key never bumped)."""
    found = dict(BoardVersion.objects.filter(key__in=keys).values_list("key", "token"))
    return tuple(found.get(k, 0) for k in keys)
