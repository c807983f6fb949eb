"""Reading the team board's HTML: the cells of a rep's row."""

import re

from accounts.models import User
from kpi import catalog

CALLS = catalog.BOARD_KPIS.index("calls")


def row_cells(html: str, attr: str, value) -> list[str]:
    """The <td> contents of the board row whose data-<attr> is value."""
    row = re.search(rf'<tr [^>]*data-{attr}="{re.escape(str(value))}">(.*?)</tr>', html, re.S)
    assert row, f"no row data-{attr}={value}"
    return re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)


def actual(html: str, rep: User, kpi_index: int = CALLS) -> str:
    """The actual's number, without the change against the previous period shown under it."""
    return re.sub(r"<small[^>]*>.*?</small>", "", row_cells(html, "rep", rep.email)[3 * kpi_index + 1])
