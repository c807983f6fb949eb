"""Signals other parts of the product listen to (sent inside the writer's transaction)."""

from django.dispatch import Signal

# Rollup rows were rewritten. kwargs: team_ids (list[int] of the teams whose rows changed, or None when
# every team's rows may have changed, as after a rebuild). Sent inside the rollup transaction, so a
# receiver that writes to the database commits or rolls back with the rollups.
rollups_changed = Signal()
