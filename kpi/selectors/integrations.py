"""What the integrations page reads."""

from django.db.models import QuerySet

from ..models import Integration


def integrations_by_name() -> QuerySet[Integration]:
    return Integration.objects.order_by("name")
