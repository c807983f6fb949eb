"""The API tests' client (DRF's) and an integration token client."""

import pytest
from rest_framework.test import APIClient

from kpi.services.integrations import integration_issue_token


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def api(ops):
    _, token = integration_issue_token(name="CRM", source="crm", created_by=ops)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client
