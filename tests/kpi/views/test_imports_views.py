"""kpi/views/imports.py: upload refused then imported; who may import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpi.models import CallLog, ImportJob
from tests.kpi.services.imports.helpers import EN_HEADER

pytestmark = pytest.mark.django_db


def csv_upload(rows: list[list], name: str = "calls.csv") -> SimpleUploadedFile:
    text = "\r\n".join([",".join(EN_HEADER)] + [",".join(map(str, r)) for r in rows]) + "\r\n"
    return SimpleUploadedFile(name, text.encode("cp932"), content_type="text/csv")


def test_upload_refused_then_imported(client, manager, rep, now, django_capture_on_commit_callbacks):
    client.force_login(manager)
    bad = csv_upload([["c-1", rep.email, "2026-11-20 10:00", -1, "outbound", "通話", "", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports"), {"kind": "calls", "file": bad, "source": "zoom"})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert job.status == "queued" or ImportJob.objects.get().status == "refused"
    assert "negative duration" in page or "負の" in page
    good = csv_upload([["c-1", rep.email, "2026-11-20 10:00", 130, "outbound", "通話", "", "", "", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports"), {"kind": "calls", "file": good, "source": "zoom"})
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.status, job.created, job.unchanged) == ("done", 1, 0)
    errors_csv = client.get(reverse("import_job", args=[job.pk - 1]), {"format": "csv"}).content.decode("utf-8-sig")
    assert errors_csv.splitlines()[1].startswith("2,duration_seconds")
    assert CallLog.objects.count() == 1


@pytest.mark.parametrize("who", ["rep", "fs_user", "marketer"])
def test_only_managers_and_ops_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("imports")).status_code == 403
