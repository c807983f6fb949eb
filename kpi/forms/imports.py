"""The imports page: upload a CSV (calls or reps) and save a column mapping for call files."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import ColumnMapping, ImportJob
from ..services.imports.columns import CALL_COLUMNS


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind", "What"), choices=ImportJob.Kind.choices, initial=ImportJob.Kind.CALLS
    )
    file = forms.FileField(label=_("CSV file"))
    source = forms.SlugField(
        label=_("Source"),
        max_length=64,
        initial="upload",
        help_text=_("e.g. miitel, zoom-phone; the same id from the same source is one call"),
    )
    mapping = forms.ModelChoiceField(label=_("Column mapping"), queryset=ColumnMapping.objects.all(), required=False)
    dry_run = forms.BooleanField(label=_("Dry run (check and count, store nothing)"), required=False)


class MappingForm(forms.Form):
    name = forms.CharField(label=_("Mapping name"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for column in CALL_COLUMNS:
            self.fields[column] = forms.CharField(label=column, max_length=100, required=False)

    def columns(self) -> dict[str, str]:
        """{our column: the file's header} for the columns given."""
        return {c: self.cleaned_data[c] for c in CALL_COLUMNS if self.cleaned_data[c]}
