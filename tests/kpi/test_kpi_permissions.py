"""kpi/permissions.py's loaders: 404 when the object does not exist, 403 when the user may not have it,
the object otherwise, for the cast: rep, the team's manager, another team's manager, an outsider, FS, ops."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from kpi import permissions
from kpi.models import ImportJob, Integration
from kpi.services.integrations import integration_issue_token

from ..factories import MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db

MISSING = 987654
CAST = ["rep", "manager", "other_manager", "outsider", "fs_user", "ops"]


@pytest.fixture
def other_manager(team_b):
    user = UserFactory(email="manager-b@example.jp", role=User.Role.MANAGER, team=team_b)
    team_b.managers.add(user)
    return user


@pytest.fixture
def job(ops):
    return ImportJob.objects.create(kind=ImportJob.Kind.CALLS, source="upload", original_name="x.csv", created_by=ops)


@pytest.fixture
def integration(db):
    return integration_issue_token(name="Phone", source="phone")[0]


def outcome(call):
    try:
        return call().pk
    except Http404:
        return 404
    except PermissionDenied:
        return 403


def _cases(allowed: set[str]):
    return [(who, who in allowed) for who in CAST]


@pytest.mark.parametrize(("who", "allowed"), _cases({"manager", "other_manager", "ops"}))
def test_import_job_for_user(request, who, allowed, job):
    user = request.getfixturevalue(who)
    assert outcome(lambda: permissions.import_job_for_user(user, job.pk)) == (job.pk if allowed else 403)
    assert outcome(lambda: permissions.import_job_for_user(user, MISSING)) == 404


@pytest.mark.parametrize(("who", "allowed"), _cases({"ops"}))
def test_integration_for_user(request, who, allowed, integration):
    user = request.getfixturevalue(who)
    expected = integration.pk if allowed else 403
    assert outcome(lambda: permissions.integration_for_user(user, integration.pk)) == expected
    assert outcome(lambda: permissions.integration_for_user(user, integration.pk, write=True)) == expected
    assert outcome(lambda: permissions.integration_for_user(user, MISSING, write=True)) == 404


@pytest.mark.parametrize(("who", "allowed"), _cases({"fs_user", "ops"}))
def test_meeting_for_user(request, who, allowed, rep):
    user = request.getfixturevalue(who)
    meeting = MeetingFactory(rep=rep)
    assert outcome(lambda: permissions.meeting_for_user(user, meeting.pk, write=True)) == (
        meeting.pk if allowed else 403
    )
    assert outcome(lambda: permissions.meeting_for_user(user, MISSING, write=True)) == 404


def test_pages_answer_what_the_loaders_do(client, ops, manager, other_manager, job, integration):
    client.force_login(other_manager)
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 200
    assert client.get(reverse("import_job", args=[MISSING])).status_code == 404
    assert client.post(reverse("integration_revoke", args=[integration.pk])).status_code == 403
    client.force_login(ops)
    assert client.post(reverse("integration_revoke", args=[MISSING])).status_code == 404
    assert client.post(reverse("integration_revoke", args=[integration.pk])).status_code == 302
    assert not Integration.objects.get(pk=integration.pk).is_active
