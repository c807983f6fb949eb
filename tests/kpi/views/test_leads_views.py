"""kpi/views/leads.py: marketing records leads, a duplicate id is refused, the CSV has every lead."""

import pytest
from django.urls import reverse

from kpi.models import Lead

pytestmark = pytest.mark.django_db


def test_leads_csv_exports_every_lead_not_just_the_page(client, marketer):
    from django.utils import timezone

    from kpi.models import Lead

    Lead.objects.bulk_create(
        Lead(source="web", external_id=f"L{i}", company=f"会社{i}", created_at=timezone.now()) for i in range(205)
    )
    client.force_login(marketer)
    lines = client.get(reverse("leads"), {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert len(lines) == 206


def test_marketing_records_leads(client, marketer, rep):
    client.force_login(rep)
    assert client.get(reverse("leads")).status_code == 403
    client.force_login(marketer)
    client.post(reverse("leads"), {"company": "株式会社サンプル", "channel": "seminar", "external_id": "L-1"})
    lead = Lead.objects.get()
    assert (lead.company, lead.channel, lead.external_id) == ("株式会社サンプル", "seminar", "L-1")


def test_a_duplicate_lead_id_is_refused_beside_the_form(client, marketer):
    client.force_login(marketer)
    data = {"company": "株式会社テスト", "channel": Lead.Channel.values[0], "external_id": "L-1"}
    client.post(reverse("leads"), data)
    response = client.post(reverse("leads"), {**data, "company": "別会社"})
    assert "lead id L-1 already exists" in response.context["form"].non_field_errors()
    assert Lead.objects.count() == 1


def test_leads_are_searched_and_paged(client, marketer):
    from tests.factories import tokyo

    Lead.objects.bulk_create(
        Lead(source="web", external_id=f"L{i:03d}", company=f"会社{i}", created_at=tokyo(2026, 11, 1, 9, i % 60))
        for i in range(150)
    )
    Lead.objects.create(source="web", external_id="X-1", company="アクメ商事", created_at=tokyo(2026, 10, 1, 9, 0))
    client.force_login(marketer)
    first = client.get(reverse("leads"))
    assert len(first.context["leads"]) == 100 and "2ページ中1ページ目（リード151件）" in first.content.decode()
    assert len(client.get(reverse("leads"), {"page": 2}).context["leads"]) == 51
    found = client.get(reverse("leads"), {"q": "アクメ"})
    assert [lead.external_id for lead in found.context["leads"]] == ["X-1"]
    csv_lines = client.get(reverse("leads"), {"q": "アクメ", "format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert csv_lines[1] == "X-1,アクメ商事,,other,2026-10-01T09:00:00+09:00"
