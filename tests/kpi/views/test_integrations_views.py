"""kpi/views/integrations.py: tokens issued once and revoked; one integration per source."""

import pytest
from django.urls import reverse

from kpi.models import Integration

pytestmark = pytest.mark.django_db


def test_integrations_issue_once_and_revoke(client, ops, manager):
    client.force_login(manager)
    assert client.get(reverse("integrations")).status_code == 403
    client.force_login(ops)
    page = client.post(reverse("integrations"), {"name": "Zoom", "source": "zoom-phone"}).content.decode()
    integration = Integration.objects.get()
    assert integration.token_prefix in page
    assert integration.token_prefix not in client.get(reverse("integrations")).content.decode().replace(
        f"{integration.token_prefix}…", ""
    )
    client.post(reverse("integration_revoke", args=[integration.pk]))
    assert not Integration.objects.get().is_active


def test_a_second_integration_with_the_same_source_is_refused(client, ops):
    client.force_login(ops)
    client.post(reverse("integrations"), {"name": "Phone", "source": "phone"})
    response = client.post(reverse("integrations"), {"name": "Phone 2", "source": "phone"})
    assert "source" in response.context["form"].errors and response.context["token"] is None


def test_ops_issue_a_read_token_and_see_its_scope(client, ops):
    client.force_login(ops)
    client.cookies["django_language"] = "en"
    page = client.post(reverse("integrations"), {"name": "Looker", "source": "looker", "scope": "read"})
    html = page.content.decode()
    assert "to /api/v1/kpi-values/. It can read KPI values and nothing else." in html
    assert "<td>looker</td><td>Read KPI values</td>" in html
    assert Integration.objects.get(name="Looker").scope == "read"
