"""The kpi tests' fixtures the corpus needs (a review item, the frozen clock, media in a tmp dir, the
API clients)."""

from tests.kpi.api.conftest import api
from tests.kpi.conftest import _media, item, now

__all__ = ["_media", "api", "item", "now"]
