"""Leads marketing records, with the channel they came from."""

import uuid

from django.utils import timezone

from ..models import Lead

SOURCE = "marketing"


def lead_create(*, channel: str, company: str, contact_name: str = "", external_id: str = "", by=None) -> Lead:
    if channel not in Lead.Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    if not company.strip():
        raise ValueError("company is required")
    external_id = external_id.strip() or uuid.uuid4().hex[:12]
    if Lead.objects.filter(source=SOURCE, external_id=external_id).exists():
        raise ValueError(f"lead id {external_id} already exists")
    return Lead.objects.create(
        source=SOURCE,
        external_id=external_id,
        channel=channel,
        company=company.strip(),
        contact_name=contact_name.strip(),
        created_at=timezone.now(),
        created_by=by,
    )
