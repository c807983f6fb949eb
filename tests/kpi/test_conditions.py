"""The definition conditions registry (kpi/conditions.py): every entry's default fits its schema, its
choices are the file contract's values, and its label and description exist in Japanese."""

import jsonschema
import pytest
from django.utils import translation

from kpi import catalog, conditions
from kpi.errors import ApplicationError
from kpi.models import CallLog, Meeting

ENTRIES = [pytest.param(c, id=f"{c.kpi}.{c.name}") for c in conditions.CONDITIONS]


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_default_validates_against_its_schema(entry):
    jsonschema.Draft202012Validator.check_schema(entry.schema)
    jsonschema.validate(entry.default, entry.schema)
    assert entry.kpi in catalog.REGISTRY


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_label_and_description_exists_in_japanese(entry):
    with translation.override("en"):
        english = (str(entry.label), str(entry.description), [str(label) for _v, label in entry.choices])
    with translation.override("ja"):
        japanese = (str(entry.label), str(entry.description), [str(label) for _v, label in entry.choices])
    assert japanese[0] != english[0] and japanese[1] != english[1]
    assert all(ja != en for ja, en in zip(japanese[2], english[2], strict=True))


@pytest.mark.parametrize(
    ("choices", "model_choices"),
    [
        (conditions.CALL_DIRECTIONS, CallLog.Direction.choices),
        (conditions.CALL_RESULTS, CallLog.Result.choices),
        (conditions.MEETING_KINDS, Meeting.Kind.choices),
    ],
)
def test_choices_are_the_file_contract(choices, model_choices):
    assert [(v, str(label)) for v, label in choices] == [(v, str(label)) for v, label in model_choices]


@pytest.mark.parametrize("key", sorted(catalog.REGISTRY))
def test_every_kpi_default_params_validate(key):
    conditions.validate_params(key, conditions.default_params(key))


def test_defaults_are_copies():
    conditions.default_params("connects")["conditions"]["results"].append("x")
    assert "x" not in conditions.get("connects", "results").default


def test_a_version_without_a_later_condition_reads_its_default():
    params = {"conditions": {"min_duration_seconds": 5}}
    assert conditions.condition(params, "connects", "min_duration_seconds") == 5
    assert conditions.condition(params, "connects", "results") == list(catalog.ALL_RESULTS)


def test_bad_params_name_each_path():
    params = {**conditions.default_params("connects"), "conditions": {"min_duration_seconds": -1, "results": []}}
    with pytest.raises(ApplicationError) as refused:
        conditions.validate_params("connects", params)
    assert set(refused.value.fields) == {"conditions/min_duration_seconds", "conditions/results"}
    assert refused.value.status == 400


def test_describe_params_reads_the_registry():
    params = {**conditions.default_params("connects")}
    params["conditions"] = {"min_duration_seconds": 3, "results": ["connected"]}
    with translation.override("en"):
        lines = dict(conditions.describe_params("connects", params))
    assert lines["Minimum call duration (seconds)"] == "3 s"
    assert lines["Call results that count"] == "Connected"
    assert lines["Unit"] == "Count"
    with translation.override("ja"):
        assert dict(conditions.describe_params("calls", conditions.default_params("calls")))["カウントする通話の方向"]
