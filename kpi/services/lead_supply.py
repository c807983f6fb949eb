"""Writing one month's lead supply per channel and FS capacity; None clears a number."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..errors import ApplicationError
from ..models import FsCapacity, LeadSupply


@transaction.atomic
def lead_supply_save(
    *, month: date, leads: dict[str, int | None] | None, fs_capacity: int | None, set_capacity: bool, by: User
) -> None:
    """`leads`: {channel: leads or None}, None to leave lead supply alone; `set_capacity`: whether to
    write `fs_capacity`. Only the channels in `leads` are written: the others are left as they are."""
    if month.day != 1:
        raise ApplicationError(_("Not the first day of a month."), fields={"month": _("Not the first day of a month.")})
    for channel, value in (leads or {}).items():
        if value is None:
            LeadSupply.objects.filter(month=month, channel=channel).delete()
        else:
            LeadSupply.objects.update_or_create(
                month=month, channel=channel, defaults={"leads": value, "updated_by": by}
            )
    if set_capacity:
        if fs_capacity is None:
            FsCapacity.objects.filter(month=month).delete()
        else:
            FsCapacity.objects.update_or_create(month=month, defaults={"meetings": fs_capacity, "updated_by": by})
