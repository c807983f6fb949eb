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


def _schema(client, user) -> dict:
    client.force_login(user)
    return yaml.safe_load(client.get("/api/schema/").content)


@pytest.mark.parametrize(
    "path,resource",
    [("/api/v1/ingest/calls/", "CALL"), ("/api/v1/ingest/emails/", "EMAIL"), ("/api/v1/ingest/meetings/", "MEETING")],
)
def test_ingest_schema_is_the_checkers_field_table(client, ops, path, resource):
    """Every field the checker knows, with its unit and limits, and nothing else: the schema and the
    checks come from one table (kpi/services/imports/records.py)."""
    from kpi.services.imports import records

    specs = getattr(records, f"{resource}_FIELDS")
    body = _schema(client, ops)["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["records"]["maxItems"] == records.MAX_RECORDS
    record = body["properties"]["records"]["items"]
    assert record["additionalProperties"] is False
    assert record["required"] == ["external_id"]
    assert list(record["properties"]) == [s.name for s in specs]
    for spec in specs:
        field = record["properties"][spec.name]
        assert field.get("minimum") == spec.minimum, spec.name
        assert field.get("maximum") == spec.maximum, spec.name
        assert field.get("enum") == (list(spec.choices) if spec.kind == "choice" else None), spec.name
        if spec.kind in ("text", "email", "datetime"):
            assert field["maxLength"] == spec.max_length, spec.name
        if spec.unit:
            assert field["x-unit"] == spec.unit and spec.unit in field["description"], spec.name


def test_units_are_in_the_field_names(client, ops):
    schema = _schema(client, ops)
    meeting = schema["paths"]["/api/v1/ingest/meetings/"]["post"]["requestBody"]["content"]["application/json"]
    fields = meeting["schema"]["properties"]["records"]["items"]["properties"]
    assert fields["amount_yen"]["maximum"] == 99_999_999_999_999 and "amount" not in fields
    call = schema["paths"]["/api/v1/ingest/calls/"]["post"]["requestBody"]["content"]["application/json"]
    duration = call["schema"]["properties"]["records"]["items"]["properties"]["duration_seconds"]
    assert (duration["minimum"], duration["maximum"], duration["x-unit"]) == (0, 86_400, "seconds")


def test_every_operation_documents_its_error_answers(client, ops):
    schema = _schema(client, ops)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403"} <= set(operation["responses"]), (path, method)
            ref = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error"
    limit = {p["name"]: p for p in schema["paths"]["/api/v1/review-items/"]["get"]["parameters"]}["limit"]
    assert limit["schema"]["maximum"] == 1000


def test_the_api_page_lists_the_fields_the_checker_enforces():
    from pathlib import Path

    from kpi.api.schema import fields_markdown
    from kpi.services.imports import records

    page = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    for specs in (records.CALL_FIELDS, records.EMAIL_FIELDS, records.MEETING_FIELDS):
        assert fields_markdown(specs) in page
