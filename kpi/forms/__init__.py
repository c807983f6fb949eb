"""Django forms that parse what people type into pages, one module per page."""

from django import forms


def form_fields(form: forms.Form) -> dict[str, str]:
    """{field: its first message}, in the form's field order: what pages show beside each field and
    what an ApplicationError carries to the API."""
    return {field: str(messages[0]) for field, messages in form.errors.items()}
