"""The kpi tests' fixtures the corpus needs (a review item, the frozen clock, media in a tmp dir)."""

from tests.kpi.conftest import _media, item, now

__all__ = ["_media", "item", "now"]
