"""The API's one error body: {"message": ..., "extra": {"fields": {...}}}, with the status each error means."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions, serializers
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from kpi.api.exception_handler import api_exception_handler
from kpi.errors import ApplicationError
from kpi.models import Integration


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class _Raises(APIView):
    authentication_classes = []
    permission_classes = []
    error: Exception

    def get(self, request):
        raise self.error


def answer(error: Exception):
    view = type("View", (_Raises,), {"error": error}).as_view()
    response = view(APIRequestFactory().get("/"))
    return response.status_code, response.data


class _Query(serializers.Serializer):
    start = serializers.DateField()


def test_application_error_answers_its_message_fields_and_status():
    error = ApplicationError("records: at most 5", fields={"records": "at most 5"}, status=409)
    assert answer(error) == (409, {"message": "records: at most 5", "extra": {"fields": {"records": "at most 5"}}})


def test_application_error_defaults_to_400_with_no_fields():
    assert answer(ApplicationError("No.")) == (400, {"message": "No.", "extra": {"fields": {}}})


def test_drf_validation_error_names_each_field():
    query = _Query(data={"start": "2026-13-01"})
    with pytest.raises(exceptions.ValidationError) as caught:
        query.is_valid(raise_exception=True)
    status, body = answer(caught.value)
    assert status == 400
    assert body["message"] == "Invalid input."
    assert list(body["extra"]["fields"]) == ["start"]
    assert "Date has wrong format" in body["extra"]["fields"]["start"][0]


def test_drf_validation_error_without_fields_is_the_message():
    assert answer(exceptions.ValidationError("Too many.")) == (400, {"message": "Too many.", "extra": {"fields": {}}})


def test_django_validation_error_with_fields():
    status, body = answer(DjangoValidationError({"month": ["Not a month."]}))
    assert (status, body) == (400, {"message": "Invalid input.", "extra": {"fields": {"month": ["Not a month."]}}})


def test_django_validation_error_without_fields():
    status, body = answer(DjangoValidationError("Refused."))
    assert status == 400
    assert body == {"message": "Invalid input.", "extra": {"fields": {"non_field_errors": ["Refused."]}}}


def test_http404_is_a_404():
    assert answer(Http404()) == (404, {"message": "Not found.", "extra": {"fields": {}}})


def test_django_permission_denied_is_a_403():
    status, body = answer(PermissionDenied())
    assert status == 403
    assert body == {"message": "You do not have permission to perform this action.", "extra": {"fields": {}}}


def test_drf_errors_keep_their_status_and_headers():
    view = type("View", (_Raises,), {"error": exceptions.Throttled(wait=30)}).as_view()
    response = view(APIRequestFactory().get("/"))
    assert response.status_code == 429 and response["Retry-After"] == "30"
    assert response.data["message"].startswith("Request was throttled.") and response.data["extra"] == {"fields": {}}


def test_errors_the_api_does_not_answer_stay_500s():
    assert api_exception_handler(RuntimeError("boom"), {}) is None


@pytest.mark.django_db(transaction=True)
def test_application_error_rolls_back_what_the_request_wrote(settings):
    settings.DATABASES["default"]["ATOMIC_REQUESTS"] = True

    class Writes(_Raises):
        def get(self, request):
            Integration.objects.create(name="x", source="x", token_hash="h", token_prefix="p")
            raise ApplicationError("No.")

    response = transaction.atomic(Writes.as_view())(APIRequestFactory().get("/"))
    assert response.status_code == 400
    assert not Integration.objects.exists()
