"""Leads marketing records, with the channel they came from."""

import uuid

from django.utils import timezone

from ..errors import ApplicationError
from ..models import Lead

SOURCE = "marketing"


def lead_create(*, channel: str, company: str, contact_name: str = "", external_id: str = "", by=None) -> Lead:
    if channel not in Lead.Channel.values:
        raise ApplicationError(f"unknown channel {channel!r}", fields={"channel": "unknown channel"})
    if not company.strip():
        raise ApplicationError("company is required", fields={"company": "required"})
    external_id = external_id.strip() or uuid.uuid4().hex[:12]
    if Lead.objects.filter(source=SOURCE, external_id=external_id).exists():
        raise ApplicationError(f"lead id {external_id} already exists", fields={"external_id": "already exists"})
    return Lead.objects.create(
        source=SOURCE,
        external_id=external_id,
        channel=channel,
        company=company.strip(),
        contact_name=contact_name.strip(),
        created_at=timezone.now(),
        created_by=by,
    )
