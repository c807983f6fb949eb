"""Definition loaders (kpi/permissions.py), the KPI sheet's and holidays page's forms, and the
holiday service: 404 for what does not exist, 403 for what the user may not change, nothing
written for bad input."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from kpi import conditions
from kpi.errors import ApplicationError
from kpi.forms.holidays import HolidayForm, YearForm
from kpi.forms.kpi_sheet import DecisionForm, DraftForm
from kpi.models import CompanyHoliday, DefinitionApproval, DefinitionVersion
from kpi.permissions import definition_for_user, definition_version_for_user
from kpi.services import definitions
from kpi.services.holidays import company_holiday_add


@pytest.fixture
def draft(manager):
    return definitions.definition_version_draft(
        key="connects",
        params=conditions.default_params("connects"),
        effective_from=date(2026, 12, 1),
        reason="check",
        actor=manager,
    )


def test_definition_loader_reads_for_everyone_and_writes_for_proposers(rep, manager, outsider):
    for user in (rep, manager, outsider):
        assert definition_for_user(user, "connects").key == "connects"
    assert definition_for_user(manager, "connects", write=True).key == "connects"
    for user in (rep, outsider):
        with pytest.raises(PermissionDenied):
            definition_for_user(user, "connects", write=True)
    with pytest.raises(Http404):
        definition_for_user(manager, "nope", write=True)


def test_version_loader_404_then_403_for_non_signers(rep, manager, outsider, ops, draft):
    assert definition_version_for_user(rep, draft.pk) == draft
    assert definition_version_for_user(manager, draft.pk, write=True) == draft
    for user in (rep, outsider, ops):
        with pytest.raises(PermissionDenied):
            definition_version_for_user(user, draft.pk, write=True)
    for user in (rep, manager):
        with pytest.raises(Http404):
            definition_version_for_user(user, 999_999)


def test_decide_page_answers_404_for_a_missing_version(client, manager):
    client.force_login(manager)
    assert client.post(reverse("kpi_decide", args=[999_999]), {"decision": "approve"}).status_code == 404


def test_decide_page_refuses_an_unknown_decision_and_writes_nothing(client, manager, draft):
    client.force_login(manager)
    resp = client.post(reverse("kpi_decide", args=[draft.pk]), {"decision": "maybe"}, follow=True)
    assert resp.status_code == 200
    assert not DefinitionApproval.objects.exists()
    assert not DecisionForm({"decision": "maybe"}).is_valid()
    assert DecisionForm({"decision": "reject"}).is_valid()


def test_draft_form_refuses_bad_conditions(manager):
    current = conditions.default_params("connects")
    form = DraftForm(
        {"c_min_duration_seconds": "-5", "unit": "count", "direction": "higher", "review_cadence": "monthly"},
        key="connects",
        current=current,
    )
    assert not form.is_valid()
    assert {"c_min_duration_seconds", "c_results", "effective_from", "reason"} <= set(form.errors)


def test_draft_page_with_bad_input_writes_nothing(client, manager):
    client.force_login(manager)
    resp = client.post(reverse("kpi_draft", args=["connects"]), {"c_min_duration_seconds": "x", "reason": ""})
    assert resp.status_code == 200 and "has-error" in resp.content.decode()
    assert not DefinitionVersion.objects.filter(status=DefinitionVersion.Status.DRAFT).exists()


def test_holiday_forms_refuse_bad_input():
    assert not HolidayForm({"date": "2026-13-40", "name": "x"}).is_valid()
    assert not HolidayForm({"date": "2026-12-28", "name": ""}).is_valid()
    assert YearForm({"year": "1999"}).year_or(2026) == 2026
    assert YearForm({"year": "abc"}).year_or(2026) == 2026
    assert YearForm({"year": "2030"}).year_or(2026) == 2030


def test_holiday_service_refuses_with_the_field_named(db):
    with pytest.raises(ApplicationError) as refused:
        company_holiday_add(day=date(2026, 12, 28), name="  ")
    assert list(refused.value.fields) == ["name"] and not CompanyHoliday.objects.exists()
    company_holiday_add(day=date(2026, 12, 28), name="年末")
    with pytest.raises(ApplicationError) as refused:
        company_holiday_add(day=date(2026, 12, 28), name="again")
    assert list(refused.value.fields) == ["date"] and CompanyHoliday.objects.count() == 1
