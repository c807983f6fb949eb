"""What the leads page reads."""

from django.db.models import Q, QuerySet

from ..models import Lead


def leads_latest_first(*, search: str = "") -> QuerySet[Lead]:
    """Newest first; `search`: each word in the lead's id, company or contact."""
    leads = Lead.objects.order_by("-created_at", "-pk")
    for word in search.split()[:5]:
        leads = leads.filter(
            Q(external_id__icontains=word) | Q(company__icontains=word) | Q(contact_name__icontains=word)
        )
    return leads
