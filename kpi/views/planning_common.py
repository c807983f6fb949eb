"""Small helpers shared by the planning pages: today, CSV responses, month parsing."""

import csv
from datetime import date

from django.http import HttpResponse
from django.utils import timezone

from .. import periods


def today() -> date:
    return periods.local_date(timezone.now())


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def parse_month(raw: str | None, default: date) -> date:
    if not raw:
        return periods.month_start(default)
    try:
        return periods.month_start(date.fromisoformat(raw if len(raw) > 7 else f"{raw}-01"))
    except ValueError:
        return periods.month_start(default)


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"
