"""Schemathesis against the OpenAPI schema: requests generated from every operation's documented
shape, as an ops user (signed in, with a CSRF token) and as an integration token on ingest. Every
answer must be no server error, a documented status, and a body matching the documented schema.

Bounded for the suite (SCHEMATHESIS_EXAMPLES per operation, 10 by default, positive data);
`make fuzz` runs 100 per operation with positive and negative data and prints the answers' counts.
The figures of a run are in docs/security-input.md."""

import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi import checks

from kpi.services.integrations import integration_issue_token

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
MODES = [GenerationMode(m) for m in os.environ.get("SCHEMATHESIS_MODES", "positive").split(",")]
ANSWERS: Counter = Counter()
CSRF = "fuzzfuzzfuzzfuzzfuzzfuzzfuzzfuzz"  # 32 characters: an unmasked CSRF secret, cookie and header alike


def _schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.config.generation.update(modes=MODES, deterministic=True)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()
# Not schema violations, and covered elsewhere:
# - positive_data_acceptance: a schema-valid request may still be refused with a documented 400 for a
#   rule a schema cannot state (scope_id required when scope=rep; a range of more than 400 periods);
# - ignored_auth: it swaps the Authorization header but keeps the session cookie this test signs in
#   with, so the request is still authenticated; refusals of bad tokens are tests/kpi/api/test_auth.py.
# - negative_data_rejection: ingest answers a batch per record (200, bad records as errors, the good
#   ones stored) by design, and lists read a bad ?limit= as the default page, as DRF does.
EXCLUDED = [checks.positive_data_acceptance, checks.negative_data_rejection, checks.ignored_auth]


@pytest.fixture
def _keep_connection():
    """As Django's test client does: a request's end must not close the test's database connection
    (its transaction holds the test's rows)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(ops, _keep_connection):
    client = Client()
    client.force_login(ops)
    _, token = integration_issue_token(name="Fuzz", source="fuzz", created_by=ops)
    return {"session": client.cookies["sessionid"].value, "token": token}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, credentials):
    if case.path.startswith("/api/v1/ingest/") and len(str(case.body)) % 2:
        # Half the ingest examples as the integration (its records take the token's source).
        response = case.call_and_validate(
            headers={"Authorization": f"Token {credentials['token']}"}, excluded_checks=EXCLUDED
        )
    else:
        response = case.call_and_validate(
            headers={"X-CSRFToken": CSRF},
            cookies={"sessionid": credentials["session"], "csrftoken": CSRF},
            excluded_checks=EXCLUDED,
        )
    ANSWERS[(case.method, case.path, response.status_code)] += 1
    assert response.status_code < 500


@pytest.fixture(scope="module", autouse=True)
def _figures():
    """With -s (make fuzz): requests per operation and status, for docs/security-input.md."""
    yield
    if ANSWERS:
        print(f"\nschemathesis: {sum(ANSWERS.values())} requests")
        for (method, path, status), n in sorted(ANSWERS.items()):
            print(f"  {method} {path} {status}: {n}")
