"""kpi/views/imports.py, who may do what: managers see and start their own teams' import jobs only,
cannot import another team's reps' calls, and pick profiles that only ops may change."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpi.models import CallLog, ImportJob, ImportProfile
from tests.factories import UserFactory
from tests.kpi.services.imports.helpers import EN_HEADER

pytestmark = pytest.mark.django_db


def upload(rows: list[list], header=EN_HEADER, name: str = "calls.csv") -> SimpleUploadedFile:
    text = "\r\n".join([",".join(header)] + [",".join(map(str, r)) for r in rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def row(ext: str, email: str, minute: int = 0) -> list:
    return [ext, email, f"2026-11-20 10:{minute:02d}", 130, "outbound", "connected", "", "", "", ""]


@pytest.fixture
def other_manager(team_b):
    user = UserFactory(email="osaka-mgr@example.jp", name="大阪 部長", role="manager", team=team_b)
    team_b.managers.add(user)
    return user


def post_upload(client, rows, **extra):
    return client.post(reverse("imports"), {"kind": "calls", "file": upload(rows), "source": "zoom", **extra})


def test_a_manager_sees_only_their_teams_jobs(
    client, manager, other_manager, ops, rep, outsider, now, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.force_login(other_manager)
        post_upload(client, [row("o-1", outsider.email)])
        client.force_login(ops)
        post_upload(client, [row("x-1", rep.email), row("x-2", outsider.email, 5)])
        client.force_login(manager)
        post_upload(client, [row("m-1", rep.email)])
    theirs, ops_job, mine = ImportJob.objects.order_by("pk")
    page = client.get(reverse("imports")).content.decode()
    assert f'href="{reverse("import_job", args=[mine.pk])}"' in page
    assert f'href="{reverse("import_job", args=[theirs.pk])}"' not in page
    assert f'href="{reverse("import_job", args=[ops_job.pk])}"' not in page
    assert client.get(reverse("import_job", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("import_job", args=[ops_job.pk])).status_code == 404
    history = client.get(reverse("imports"), {"format": "csv"}).content.decode("utf-8-sig")
    assert [line.split(",")[0] for line in history.splitlines()[1:]] == [str(mine.pk)]
    # Ops see everything, and the per-rep lines of every team.
    client.force_login(ops)
    body = client.get(reverse("import_job", args=[ops_job.pk])).content.decode()
    assert rep.email in body and outsider.email in body


def test_a_manager_cannot_import_another_teams_reps(
    client, manager, rep, outsider, now, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(client, [row("m-1", rep.email), row("m-2", outsider.email, 5), row("m-3", outsider.email, 9)])
    job = ImportJob.objects.get()
    assert job.status == "refused"
    assert [(e["row"], e["code"], e["value"]) for e in job.errors] == [
        (3, "rep_outside_team", outsider.email),
        (4, "rep_outside_team", outsider.email),
    ]
    assert CallLog.objects.count() == 0


def test_a_manager_cannot_start_another_managers_preview(client, manager, other_manager, outsider, now):
    client.force_login(other_manager)
    post_upload(client, [row("o-1", outsider.email)], preview="1")
    job = ImportJob.objects.get()
    assert job.status == "preview"
    client.force_login(manager)
    assert client.get(reverse("import_preview", args=[job.pk])).status_code == 404
    assert client.post(reverse("import_start", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get().status == "preview"


def test_profiles_are_ops_managed_managers_pick_them(client, manager, ops, rep, now):
    client.force_login(manager)
    page = client.get(reverse("imports")).content.decode()
    assert "miitel" in page  # the built-in profiles are listed, to pick
    profile = ImportProfile.objects.get(name="miitel")
    before = dict(profile.result_values)
    data = {"name": "miitel", "rep_lookup": "email", "duration_unit": "seconds", "result": "x"}
    assert client.post(reverse("import_profile", args=[profile.pk]), data).status_code == 403
    assert client.post(reverse("import_profile_new"), {**data, "name": "mine"}).status_code == 403
    assert client.post(reverse("import_profile_delete", args=[profile.pk])).status_code == 403
    assert client.post(reverse("import_profile_values", args=[profile.pk]), {"job": "1"}).status_code == 403
    profile.refresh_from_db()
    assert (profile.result_values, ImportProfile.objects.filter(name="mine").exists()) == (before, False)
    # Picking one is allowed: the upload goes to its preview.
    response = client.post(
        reverse("imports"), {"kind": "calls", "file": upload([row("m-1", rep.email)]), "profile": profile.pk}
    )
    job = ImportJob.objects.get()
    assert (response["Location"], job.status, job.profile, job.source) == (
        reverse("import_preview", args=[job.pk]),
        "preview",
        profile,
        "miitel",
    )


def test_ops_builds_a_profile_from_a_preview_and_imports(client, ops, rep, now, django_capture_on_commit_callbacks):
    header = ["通話ID", "担当者", "日時", "通話時間", "種別", "結果", "部署"]
    rows = [
        ["p-1", rep.email, "2026/11/20 午前10:23", "2分15秒", "外線発信", "応答", "IS"],
        ["p-2", rep.email, "2026/11/20 10:40", "0:00", "外線発信", "不応答", "IS"],
    ]
    client.force_login(ops)
    file = upload(rows, header, "pbx.csv")
    response = client.post(reverse("imports"), {"kind": "calls", "file": file, "preview": "1"})
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "部署" in page  # an unmapped column
    form = {
        "job": job.pk,
        "name": "pbx",
        "source": "pbx",
        "rep_lookup": "email",
        "duration_unit": "seconds",
        "timezone": "Asia/Tokyo",
        "external_id": "通話ID",
        "rep_email": "担当者",
        "started_at": "日時",
        "duration_seconds": "通話時間",
        "direction": "種別",
        "result": "結果",
    }
    response = client.post(reverse("import_profile_new"), form)
    profile = ImportProfile.objects.get(name="pbx")
    assert response["Location"] == f"{reverse('import_preview', args=[job.pk])}?profile={profile.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "外線発信" in page and "不応答" in page
    # One submit adds every value the preview found (the first was guessed: 外線発信 -> outbound).
    values = {"job": job.pk, "v0": "outbound", "v1": "no_answer", "v2": "connected"}  # 不応答, 応答
    client.post(reverse("import_profile_values", args=[profile.pk]), values)
    profile.refresh_from_db()
    assert profile.direction_values == {"外線発信": "outbound"}
    assert profile.result_values == {"応答": "connected", "不応答": "no_answer"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_start", args=[job.pk]), {"profile": profile.pk})
    job.refresh_from_db()
    assert (job.status, job.created, job.profile) == ("done", 2, profile)
    assert dict(CallLog.objects.values_list("external_id", "duration_seconds")) == {"p-1": 135, "p-2": 0}
