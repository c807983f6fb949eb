"""Rollups: the entry points tasks, commands and bench call (kpi/services/rollups/rebuild.py)."""

from .rebuild import rollups_rebuild, rollups_refresh_rep_days

__all__ = ["rollups_rebuild", "rollups_refresh_rep_days"]
