"""CSV builders for import tests."""

from pathlib import Path

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
