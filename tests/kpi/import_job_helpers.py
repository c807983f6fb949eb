"""An uploaded call-log job, and a way to make its import stop as a killed worker would."""

from django.core.files.base import ContentFile

from kpi.models import ImportJob
from kpi.services.imports.store import Stage

from ..ingestion.helpers import EN_HEADER


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: no except Exception clause sees it, so nothing cleans up after it."""


def calls_job(rep, n: int = 3, duration: int = 60) -> ImportJob:
    rows = [
        [f"c-{i}", rep.email, f"2026-11-20 10:{i:02d}", duration, "outbound", "通話", "", "", "", ""] for i in range(n)
    ]
    text = "\r\n".join([",".join(EN_HEADER)] + [",".join(map(str, r)) for r in rows]) + "\r\n"
    job = ImportJob(kind=ImportJob.Kind.CALLS, source="zoom", original_name="calls.csv")
    job.file.save("calls.csv", ContentFile(text.encode()), save=False)
    job.save()
    return job


def insert_failing(monkeypatch, *errors: BaseException) -> list:
    """Stage.insert raises the given errors, one per call, then inserts; returns the calls made."""
    real, calls, pending = Stage.insert, [], list(errors)

    def insert(self, *args, **kwargs):
        calls.append(1)
        if pending:
            raise pending.pop(0)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Stage, "insert", insert)
    return calls
