"""What the leads page reads."""

from django.db.models import QuerySet

from ..models import Lead


def leads_latest_first() -> QuerySet[Lead]:
    return Lead.objects.order_by("-created_at")
