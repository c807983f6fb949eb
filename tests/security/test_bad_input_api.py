"""Bad input through the REST API: every field of every ingest endpoint with the corpus's values
(out-of-range numbers, NaN, edge dates, NUL, lone surrogates, wrong JSON types, unknown fields) is an
error on its own record naming the field, never a server error, and never costs the batch's good
records; paginated lists bound ?limit= and ?offset=."""

import json

import pytest
from django.urls import reverse

from kpi.models import CallLog, EmailTouch, Meeting, RecordRevision
from kpi.services.imports.records import CALL_FIELDS, EMAIL_FIELDS, MEETING_FIELDS
from tests.security.helpers import BAD_TEXT, EDGE_DATETIMES, HUGE_NUMBERS, row_counts

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800"
WRONG_TYPES = [[1], {"a": 1}, 1.5]
GOOD = {
    "calls": lambda email, i: {
        "external_id": f"good-{i}",
        "rep_email": email,
        "started_at": "2026-11-20T10:00:00+09:00",
        "duration_seconds": 60,
        "result": "connected",
    },
    "emails": lambda email, i: {"external_id": f"good-{i}", "rep_email": email, "sent_at": "2026-11-20T10:00:00"},
    "meetings": lambda email, i: {"external_id": f"good-{i}", "rep_email": email, "set_at": "2026-11-20T10:00:00"},
}
SPECS = {"calls": CALL_FIELDS, "emails": EMAIL_FIELDS, "meetings": MEETING_FIELDS}
MODELS = {"calls": CallLog, "emails": EmailTouch, "meetings": Meeting}


def _bad_values(spec) -> list:
    values = [*BAD_TEXT, SURROGATE, "x" + SURROGATE, *WRONG_TYPES]
    if spec.kind in ("integer", "decimal"):
        # "1e-9999" is a whole 0 written as a float: read as 0 s (an amount refuses it: not whole yen).
        values += [
            *(v for v in HUGE_NUMBERS if v != "1e-9999" or spec.kind == "decimal"),
            2**64,
            -(2**64),
            10**30,
            1e308,
            "NaN",
            str(spec.maximum + 1),
        ]
    if spec.kind == "datetime":
        values += [*EDGE_DATETIMES, "9999-12-31T23:59:59+09:00", "2026-13-01T00:00"]
    if spec.kind == "boolean":
        values += ["maybe", 2]
    if spec.kind in ("choice", "word"):
        values += ["nonsense"]
    if spec.kind in ("text", "email"):
        values += ["x" * (spec.max_length + 1)]
    return values


CASES = [
    (resource, spec.name, value)
    for resource, specs in SPECS.items()
    for spec in specs
    if spec.name != "external_id"
    for value in _bad_values(spec)
]


def _post(api, resource: str, records: list, **extra):
    url = reverse(f"api-ingest-{resource}")
    return api.post(url, json.dumps({"records": records, **extra}), content_type="application/json")


@pytest.mark.parametrize("resource,field,value", CASES, ids=[f"{r}-{f}-{i}" for i, (r, f, _v) in enumerate(CASES)])
def test_a_bad_value_is_its_records_error_and_the_good_record_is_stored(api, rep, now, resource, field, value):
    bad = {**GOOD[resource](rep.email, 1), "external_id": "bad", field: value}
    if resource == "meetings" and field == "amount_yen":
        bad["status"] = "won"
    before = row_counts()
    response = _post(api, resource, [GOOD[resource](rep.email, 0), bad])
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["created", "error"]
    assert field in {e["field"] for e in body["results"][1]["errors"]}
    model = MODELS[resource]
    assert list(model.objects.values_list("external_id", flat=True)) == ["good-0"]
    after = row_counts()
    assert after[model._meta.label] == before[model._meta.label] + 1


@pytest.mark.parametrize("value", [*BAD_TEXT, SURROGATE])
def test_a_bad_external_id_is_its_records_error(api, rep, now, value):
    for resource in SPECS:
        body = _post(api, resource, [{**GOOD[resource](rep.email, 0), "external_id": value}]).json()
        assert body["results"][0]["status"] == "error"
    assert (CallLog.objects.count(), EmailTouch.objects.count(), Meeting.objects.count()) == (0, 0, 0)


@pytest.mark.parametrize("resource", list(SPECS))
def test_an_unknown_field_is_an_error_naming_it(api, rep, now, resource):
    body = _post(api, resource, [{**GOOD[resource](rep.email, 0), "colour": "blue", SURROGATE: 1}]).json()
    errors = body["results"][0]["errors"]
    # The broken key is echoed as U+FFFD: the answer must stay UTF-8.
    assert {(e["field"], e["code"]) for e in errors} == {("colour", "unknown_field"), ("\ufffd", "unknown_field")}
    assert not MODELS[resource].objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"records": []},
        {"records": "x"},
        {"records": [1, 2]},
        {"records": None},
        {"records": [{"external_id": "a"}], "source": "a\x00"},
        {"records": [{"external_id": "a"}], "colour": "blue"},
        [1, 2],
        "text",
    ],
)
def test_a_malformed_request_is_a_400_naming_what(client, ops, now, payload):
    client.force_login(ops)
    for resource in SPECS:
        response = client.post(reverse(f"api-ingest-{resource}"), json.dumps(payload), content_type="application/json")
        assert response.status_code == 400
        assert response.json()["message"]


def test_a_body_that_is_not_json_is_a_400(api):
    response = api.post(reverse("api-ingest-calls"), "{records: ", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("limit", [str(2**63), str(2**64), "9" * 5000, "-1", "0", "abc"])
@pytest.mark.parametrize("offset", ["0", str(2**63), str(2**64), "-5"])
def test_paginated_lists_bound_limit_and_offset(client, ops, limit, offset):
    client.force_login(ops)
    for url in ("/api/v1/review-items/", "/api/v1/definitions/"):
        response = client.get(url, {"limit": limit, "offset": offset})
        assert response.status_code == 200, (url, limit, offset)


def test_a_limit_over_the_maximum_gives_full_pages_of_the_maximum(client, ops):
    client.force_login(ops)
    body = client.get("/api/v1/definitions/", {"limit": str(2**64)}).json()
    assert len(body["results"]) == body["count"]  # fewer definitions than a page of 1,000
    assert not RecordRevision.objects.exists()
