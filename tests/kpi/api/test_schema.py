"""kpi/api/schema.py: the OpenAPI schema documents the KPI values API."""

import pytest
import yaml

pytestmark = pytest.mark.django_db


def test_openapi_schema_documents_kpi_values(client, rep):
    client.force_login(rep)
    resp = client.get("/api/schema/")
    assert resp.status_code == 200
    schema = yaml.safe_load(resp.content)
    op = schema["paths"]["/api/v1/kpi-values/"]["get"]
    names = {p["name"]: p for p in op["parameters"]}
    assert {"kpi", "scope", "scope_id", "granularity", "start", "end"} <= set(names)
    assert names["scope"]["schema"]["enum"] == ["rep", "team", "org"]
    assert names["granularity"]["schema"]["enum"] == ["day", "week", "month", "quarter"]
    assert "meeting_rate" in names["kpi"]["schema"]["enum"]
    results = schema["components"]["schemas"]["KpiValue"]["properties"]
    assert {"period_start", "numerator", "denominator", "value", "target", "attainment", "definition_versions"} <= (
        set(results)
    )
    assert "/api/v1/definitions/{key}/" in schema["paths"]
