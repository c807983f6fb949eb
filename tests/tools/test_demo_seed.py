"""The demo organisation (tools/demo/seed.py, manage.py seed_demo): the facts a visitor can count on
the pages: 3 teams, 25 reps, the five logins, three reps calling at about half the benchmark."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import Team, User
from kpi.models import CallLog, Meeting, Target
from tools import synthetic
from tools.demo import seed

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.mark.django_db
def test_demo_seed_builds_the_countable_organisation():
    counts = seed.demo_seed(today=TODAY, days=21)
    reps = User.objects.filter(email__endswith=f"@{seed.DOMAIN}", role="rep")
    assert reps.count() == 25
    assert Team.objects.filter(name__in=seed.TEAMS).count() == 3
    sizes = reps.values("team__name").annotate(n=Count("id")).values_list("n", flat=True)
    assert sorted(sizes) == [8, 8, 9]
    assert set(reps.values_list("team__name", flat=True)) == set(seed.TEAMS)
    for email in seed.demo_accounts().values():
        assert User.objects.get(email=email).check_password(seed.PASSWORD)
    assert seed.PASSWORD == "demo-pass-2026"

    past = CallLog.objects.filter(source=seed.SOURCE, local_date__lt=TODAY)
    per_rep = dict(past.values_list("rep__email").annotate(n=Count("id")))
    days = past.values("local_date").distinct().count()
    assert days >= 13  # the business days of 21 calendar days before TODAY
    under = {f"rep{i:02d}@{seed.DOMAIN}" for i in seed.UNDERPERFORMERS}
    others = [n / days for email, n in per_rep.items() if email not in under]
    assert len(others) == 22
    assert all(synthetic.CALLS_PER_DAY * 0.75 < n < synthetic.CALLS_PER_DAY * 1.3 for n in others)
    for email in under:  # about half the benchmark's 34 a day
        assert 0.4 * synthetic.CALLS_PER_DAY < per_rep[email] / days < 0.6 * synthetic.CALLS_PER_DAY

    connected = past.filter(duration_seconds__gte=1).count() / past.count()
    assert connected == pytest.approx(0.50, abs=0.03)
    assert counts["calls"] == CallLog.objects.filter(source=seed.SOURCE).count()
    settled = set(Meeting.objects.filter(source=seed.SOURCE).values_list("status", flat=True))
    assert {"scheduled", "no_show", "disqualified", "won"} <= settled
    assert Meeting.objects.filter(source=seed.SOURCE, status="won", amount__isnull=True).count() == 0
    # 6 per-day and 2 rate targets a rep for each month covered (February, March) and the next.
    assert counts["targets"] == Target.objects.count() == 25 * 8 * 3


@pytest.mark.django_db(transaction=True)
def test_seed_demo_command_prints_the_logins_and_reset_recreates():
    out = StringIO()
    call_command("seed_demo", "--days", "5", stdout=out)
    again = StringIO()
    call_command("seed_demo", "--days", "5", stdout=again)
    assert "already present" in again.getvalue()
    out = StringIO()
    call_command("seed_demo", "--reset", "--days", "5", stdout=out)
    text = out.getvalue()
    assert "Demo ready:" in text and "Logins (password demo-pass-2026):" in text
    for role, email in seed.demo_accounts().items():
        assert f"  {role:<10} {email}" in text
    assert User.objects.filter(email__endswith=f"@{seed.DOMAIN}", role="rep").count() == 25
