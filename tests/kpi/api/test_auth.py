"""Input that used to crash (database errors, 500s) is refused with a reason instead."""

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
