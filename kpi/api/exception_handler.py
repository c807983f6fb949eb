"""Every API error answers with one body: {"message": ..., "extra": {"fields": {...}}}.

As HackSoft's Django-Styleguide (api/exception_handlers.py): Django's ValidationError, Http404 and
PermissionDenied become their DRF counterparts, DRF's own handler (rest_framework.views.exception_handler)
builds the response (status, WWW-Authenticate, Retry-After, rollback), and the body is reshaped.
ApplicationError (kpi/errors.py) answers its own status with its message and fields. Field messages
from a serializer stay as DRF gives them (a list per field); an ApplicationError's are one string each.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from ..errors import ApplicationError


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(_body(exc.message, exc.fields), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:  # not an error the API answers: a 500
        return None
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(detail, dict):
            response.data = _body(str(exceptions.ValidationError.default_detail), detail)
        else:
            response.data = _body(" ".join(str(d) for d in detail), {})
    else:
        response.data = _body(str(detail), {})
    return response


def _body(message: str, fields: dict) -> dict:
    return {"message": message, "extra": {"fields": fields}}
