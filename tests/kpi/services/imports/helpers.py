"""CSV builders for import tests, and an uploaded call-log job with a way to make its import stop
as a killed worker would."""

from pathlib import Path

from django.core.files.base import ContentFile

from kpi.models import ImportJob
from kpi.services.imports.store import Stage

EN_HEADER = [
    "external_id",
    "rep_email",
    "started_at",
    "duration_seconds",
    "direction",
    "result",
    "reached_target",
    "appointment_set",
    "lead_external_id",
    "note",
]
JA_HEADER = [
    "通話ID",
    "担当者メール",
    "開始日時",
    "通話時間(秒)",
    "発着信",
    "結果",
    "担当者接続",
    "アポ獲得",
    "リードID",
    "メモ",
]


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    lines = [",".join(header)] + [",".join(str(v) for v in row) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


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


def en_rows(rep_email: str) -> list[list]:
    return [
        ["c-1", rep_email, "2026-11-20T09:05:00", 0, "outbound", "no_answer", "false", "no", "L-1", "不在でした"],
        [
            "c-2",
            rep_email,
            "2026-11-20T10:15:00+09:00",
            150,
            "outbound",
            "connected",
            "true",
            "yes",
            "L-1",
            "決裁者と会話",
        ],
        ["c-3", rep_email, "2026-11-20 10:30", 30, "inbound", "gatekeeper", "0", "0", "", ""],
    ]
