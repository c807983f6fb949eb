"""Rollups: recompute base measures per rep-day from events, then weeks, months and quarters per rep,
team and organisation from those days. Every write recomputes its buckets and replaces them (delete,
then insert ... on conflict update), so running anything twice leaves identical rows.

Day rows are computed with the definition versions in force on each day: the range is cut into
segments wherever an approved version takes effect, and each segment uses its own thresholds.

The package: rebuild.py (the entry points, exported here), conditions_sql.py (the SQL applying a
definition's conditions), days.py (the day aggregate), periods.py (weeks, months, quarters, team and
organisation rows), hours.py (the weekday x hour rollup) and tables.py (what the writers share).
"""

from .rebuild import rollups_rebuild, rollups_refresh_rep_days

__all__ = ["rollups_rebuild", "rollups_refresh_rep_days"]
