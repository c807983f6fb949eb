"""What the lead supply page reads: one month's leads per channel and FS capacity."""

from datetime import date

from ..models import FsCapacity, LeadSupply


def lead_supply_by_channel(*, month: date) -> dict[str, int]:
    return {s.channel: s.leads for s in LeadSupply.objects.filter(month=month)}


def fs_capacity(*, month: date) -> FsCapacity | None:
    return FsCapacity.objects.filter(month=month).first()
