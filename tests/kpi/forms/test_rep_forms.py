"""kpi/forms/rep.py: the rep page's trend choice and the call list's filters fall back one by one."""

from datetime import date

from django.http import QueryDict

from kpi.forms.rep import CallListForm, RepTrendForm


def test_trend_defaults_to_weekly_calls_and_takes_any_catalogue_kpi():
    assert RepTrendForm(QueryDict("")).choice() == ("calls", "week")
    assert RepTrendForm(QueryDict("kpi=permission_rate&g=day")).choice() == ("permission_rate", "day")


def test_trend_with_an_unknown_kpi_or_step_falls_back():
    assert RepTrendForm(QueryDict("kpi=bogus&g=month")).choice() == ("calls", "week")


def test_call_filters_keep_the_valid_ones_when_one_is_bad():
    form = CallListForm(QueryDict("day=2026-11-20&result=bogus&lead=%20L-7%20&page=2"))
    assert form.filters() == {"day": date(2026, 11, 20), "result": "", "lead": "L-7"}
    assert form.page_number() == 2
    assert CallListForm(QueryDict("day=yesterday&result=connected&page=0")).filters() == {
        "day": None,
        "result": "connected",
        "lead": "",
    }
