"""Data versions of the dashboards' boards (see kpi/services/board_cache.py)."""

from django.db import models


class BoardVersion(models.Model):
    """One token per key ("org", "all", "team:<id>"), replaced by a new random value inside every
    transaction that changes what a board shows. A cached board is keyed by the tokens it was built
    under, so any process (web workers, the Celery worker) sees a change at the writer's commit."""

    key = models.CharField(max_length=32, primary_key=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.key}={self.token}"
