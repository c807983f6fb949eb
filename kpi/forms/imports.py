"""The imports page: upload a CSV (calls or reps) with an import profile; the profile editor (from a
file's preview, or on its own) and the form that adds the values a preview found to a profile."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import ImportJob, ImportProfile
from ..services.imports.columns import CALL_COLUMNS, DIRECTIONS, RESULTS
from ..services.imports.profiles import REP_FALLBACK

FIELD_LABELS = {
    "external_id": _("Call id"),
    "rep_email": _("Rep"),
    REP_FALLBACK: _("Rep, second place (alias)"),
    "started_at": _("Start date and time"),
    "duration_seconds": _("Talk time"),
    "direction": pgettext_lazy("call", "Direction"),
    "result": _("Result"),
    "reached_target": _("Decision maker reached"),
    "appointment_set": _("Appointment set"),
    "lead_external_id": _("Lead id"),
    "note": _("Note"),
}
PROFILE_FIELDS = (*CALL_COLUMNS, REP_FALLBACK)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("kind", "What"), choices=ImportJob.Kind.choices, initial=ImportJob.Kind.CALLS
    )
    file = forms.FileField(label=_("CSV file"))
    profile = forms.ModelChoiceField(
        label=_("Import profile"),
        queryset=ImportProfile.objects.all(),
        required=False,
        empty_label=_("None: the file uses the import columns"),
        help_text=_("How a phone system's or SFA's own export is read; you see a preview before anything is stored"),
    )
    source = forms.SlugField(
        label=_("Source"),
        max_length=64,
        required=False,
        help_text=_("e.g. miitel, zoom-phone; the same id from the same source is one call (default: the profile's)"),
    )
    dry_run = forms.BooleanField(label=_("Dry run (check and count, store nothing)"), required=False)

    def clean_source(self) -> str:
        return self.cleaned_data["source"] or ""


def _value_lines(values: dict) -> str:
    return "\n".join(f"{raw} = {value}" for raw, value in values.items())


class ProfileForm(forms.Form):
    """A profile's settings. With the headers of a previewed file, each field is a choice among them."""

    name = forms.SlugField(label=_("Profile name"), max_length=100, help_text=_("letters, digits and hyphens"))
    source = forms.SlugField(label=_("Source"), max_length=64, required=False)
    rep_lookup = forms.ChoiceField(label=_("Find the rep by"), choices=ImportProfile.RepLookup.choices)
    duration_unit = forms.ChoiceField(
        label=_("Talk time as a bare number is in"),
        choices=ImportProfile.DurationUnit.choices,
        help_text=_("00:02:15, 2:15 and 2分15秒 are read whatever the unit"),
    )
    timezone = forms.ChoiceField(
        label=_("Times without an offset are in"), choices=ImportProfile.Zone.choices, required=False
    )
    id_from = forms.CharField(
        label=_("No id column: build the id from"),
        required=False,
        help_text=_("headers, comma-separated (e.g. email, date_time, callee_number)"),
    )
    direction_values = forms.CharField(
        label=_("Direction words"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    result_values = forms.CharField(label=_("Result words"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    skip_values = forms.CharField(
        label=_("Values that mark rows not to import"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("one a line, e.g. 内線 (internal calls); such rows are counted, not imported"),
    )

    def __init__(self, *args, headers: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for column in PROFILE_FIELDS:
            label = FIELD_LABELS[column]
            if headers:
                choices = [("", "—")] + [(h, h) for h in dict.fromkeys(headers)]
                self.fields[column] = forms.ChoiceField(label=label, choices=choices, required=False)
            else:
                self.fields[column] = forms.CharField(label=label, max_length=100, required=False)
        self.fields["direction_values"].help_text = _("one a line: the source's word = %(values)s") % {
            "values": " / ".join(DIRECTIONS)
        }
        self.fields["result_values"].help_text = _("one a line: the source's word = %(values)s") % {
            "values": " / ".join(RESULTS)
        }

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "name": profile.name,
            "source": profile.source,
            "rep_lookup": profile.rep_lookup,
            "duration_unit": profile.duration_unit,
            "timezone": profile.timezone,
            "id_from": ", ".join(profile.id_from),
            "direction_values": _value_lines(profile.direction_values),
            "result_values": _value_lines(profile.result_values),
            "skip_values": "\n".join(profile.skip_values),
            **{column: profile.columns.get(column, "") for column in PROFILE_FIELDS},
        }

    def _values(self, name: str, allowed) -> dict:
        values = {}
        for number, line in enumerate(self.cleaned_data[name].splitlines(), start=1):
            if not line.strip():
                continue
            raw, sep, value = line.rpartition("=")
            if not sep or not raw.strip() or value.strip() not in allowed:
                raise forms.ValidationError(
                    _("line %(n)s: write the source's word = one of %(values)s"),
                    params={"n": number, "values": " / ".join(allowed)},
                )
            values[raw.strip()] = value.strip()
        return values

    def clean_direction_values(self) -> dict:
        return self._values("direction_values", tuple(DIRECTIONS))

    def clean_result_values(self) -> dict:
        return self._values("result_values", tuple(RESULTS))

    def clean_skip_values(self) -> list:
        return [line.strip() for line in self.cleaned_data["skip_values"].splitlines() if line.strip()]

    def clean_id_from(self) -> list:
        return [name.strip() for name in self.cleaned_data["id_from"].split(",") if name.strip()]

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("external_id") and not data.get("id_from"):
            self.add_error("id_from", _("name the call id column, or the columns to build an id from"))
        for column in ("rep_email", "started_at", "result"):
            if column in data and not data.get(column):
                self.add_error(column, _("required"))
        return data

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        keys = ("source", "rep_lookup", "duration_unit", "timezone", "id_from")
        values = ("direction_values", "result_values", "skip_values")
        return {
            **{key: data[key] for key in keys},
            **{key: data[key] for key in values},
            "columns": {column: data[column] for column in PROFILE_FIELDS if data.get(column)},
        }


class UnknownValuesForm(forms.Form):
    """The values a preview found that no map knows, each with a choice; submitted at once."""

    def __init__(self, *args, unknown: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown = unknown
        skip = [("skip", _("not a sales call: skip"))]
        for index, item in enumerate(unknown):
            words = DIRECTIONS if item["column"] == "direction" else RESULTS
            choices = [("", "—"), *((w, w) for w in words), *skip]
            self.fields[f"v{index}"] = forms.ChoiceField(
                label=item["raw"], choices=choices, required=False, initial=item["guess"]
            )

    def values(self) -> list[tuple[str, str, str]]:
        return [
            (item["column"], item["raw"], self.cleaned_data[f"v{index}"])
            for index, item in enumerate(self.unknown)
            if self.cleaned_data.get(f"v{index}")
        ]

    def rows(self):
        return [(item, self[f"v{index}"]) for index, item in enumerate(self.unknown)]
