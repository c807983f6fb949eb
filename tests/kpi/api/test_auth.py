"""kpi/api/auth.py: a token that is not UTF-8 is a 401, not a 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_token_that_is_not_utf8_is_401_not_500(rep):
    client = APIClient()
    response = client.post(
        reverse("api-ingest-calls"),
        {"records": []},
        format="json",
        HTTP_AUTHORIZATION=b"Token \xff\xfe".decode("latin-1"),
    )
    assert response.status_code == 401
