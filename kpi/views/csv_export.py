"""CSV downloads for tables: UTF-8 with BOM so Excel in Japan opens Japanese text correctly.

Every cell of every export goes through safe_cell (OWASP's CSV injection guidance): text that begins
with =, +, -, @, a tab or a carriage return would run as a formula in Excel or LibreOffice, so it is
written with a leading apostrophe, which the spreadsheet shows as text. Numbers stay numbers: an int,
float or Decimal value, or text that is nothing but a plain number ("-3", "-0.25", "+81"), is written
as it is, since a spreadsheet reads it as a number and no formula can hide in it.

Times are written in the organisation's time zone with their offset (2026-11-20T10:00:00+09:00), never UTC.
"""

import csv
import re
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.http import HttpResponse

from .. import periods


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(_local(cell)) for cell in row] for row in rows)
    return response


def _local(cell):
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        return periods.local_datetime(cell).isoformat(timespec="seconds")
    return cell


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def safe_cell(value):
    """The cell as the spreadsheet should read it: formula-looking text prefixed with an apostrophe."""
    if isinstance(value, (bool, int, float, Decimal)) or value is None:
        return value
    text = str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return value


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
