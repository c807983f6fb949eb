"""CSV downloads for tables: UTF-8 with BOM so Excel in Japan opens Japanese text correctly. Times are
written in the organisation's time zone with their offset (2026-11-20T10:00:00+09:00), never UTC."""

import csv
from collections.abc import Iterable
from datetime import datetime

from django.http import HttpResponse

from .. import periods


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([_local(cell) for cell in row] for row in rows)
    return response


def _local(cell):
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        return periods.local_datetime(cell).isoformat(timespec="seconds")
    return cell


def board_csv(filename: str, label: str, kpis, rows: Iterable[tuple[str, list]]) -> HttpResponse:
    """A board (rows x KPIs) as target / actual / attainment columns per KPI, raw numbers, no formatting."""
    header = [label]
    for kpi in kpis:
        header += [f"{kpi}_target", f"{kpi}_actual", f"{kpi}_attainment"]
    body = []
    for name, values in rows:
        line = [name]
        for v in values:
            line += [_plain(v.target), _plain(v.value), _plain(v.pace_attainment)]
        body.append(line)
    return csv_response(filename, header, body)


def _plain(value) -> str:
    return "" if value is None else str(round(value, 4))
