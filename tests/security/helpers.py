"""The bad-input corpus: values that once crashed an entry (a 500) or were stored silently wrong,
and a snapshot of every table's row count to prove a refused input wrote nothing."""

from django.apps import apps

HUGE_NUMBERS = [
    "99999999999999999999",  # over bigint
    str(2**63),
    "9" * 30,
    "9" * 5000,  # over Python's int-from-text limit
    "1e309",
    "-1",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e-9999",
    "0x10",
    "²",
]
EDGE_DATES = ["0001-01-01", "1999-12-31", "9999-12-31", "10000-01-01", "2026-02-30"]
EDGE_DATETIMES = ["0001-01-01T00:00", "0001-01-01T00:00:00+09:00", "9999-12-31T23:59", "1970-01-01T00:00:00Z"]
BAD_TEXT = ["a\x00b", "\x00"]


def row_counts() -> dict[str, int]:
    """Rows per model of the product (kpi and accounts), for "nothing half-written" checks."""
    return {
        model._meta.label: model.objects.count()
        for app in ("kpi", "accounts")
        for model in apps.get_app_config(app).get_models()
        if model._meta.managed and model._meta.label not in ("kpi.JobRun",)
    }
