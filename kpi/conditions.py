"""Definition conditions and parameters: what a KPI definition may decide, one entry per condition.

An entry holds a condition's JSON schema, its default (what versions approved before it existed
counted), its label and description (translatable) and how a person sees it. The KPI sheet's form
(kpi/forms/kpi_sheet.py), the sheet's description of a version, the parameter validation and the
defaults all read this registry. The SQL that applies a condition is in the rollups code
(kpi/services/rollups/conditions_sql.py: `_conditions` and the filters built from it).

Pure: no models, no ORM. The call directions, results and meeting kinds below are the file
contract's values (kpi.models.CallLog / Meeting); tests/kpi/test_conditions.py keeps them equal.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import jsonschema
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from . import catalog
from .errors import ApplicationError

# How a condition's value is shown and edited.
SECONDS, CHOICES, YES_NO = "seconds", "choices", "yes_no"

CALL_DIRECTIONS = (("outbound", _("Outbound")), ("inbound", _("Inbound")))
CALL_RESULTS = (
    ("no_answer", _("No answer")),
    ("busy", _("Busy")),
    ("voicemail", _("Voicemail")),
    ("gatekeeper", _("Gatekeeper")),
    ("connected", _("Connected")),
    ("wrong_number", _("Wrong number")),
    ("failed", _("Failed")),
)
MEETING_KINDS = (("first", _("First appointment")), ("proposal", _("Proposal")))

UNIT_CHOICES = (
    ("count", _("Count")),
    ("percent", _("Percent")),
    ("per_hour", _("Per hour")),
    ("jpy", _("JPY")),
    ("hours", _("Hours")),
)
DIRECTION_CHOICES = ((catalog.HIGHER, _("Higher is better")), (catalog.LOWER, _("Lower is better")))
CADENCE_CHOICES = (("weekly", _("Weekly")), ("monthly", _("Monthly")), ("quarterly", _("Quarterly")))


@dataclass(frozen=True)
class Condition:
    kpi: str  # the definition it belongs to (a catalogue key)
    name: str  # its key in the version's params["conditions"]
    label: Promise
    description: Promise
    shown_as: str  # SECONDS | CHOICES | YES_NO
    default: object
    choices: tuple[tuple[str, Promise], ...] = ()
    # Added after versions were first approved: a stored version without it reads `default`.
    optional: bool = False

    @property
    def schema(self) -> dict:
        if self.shown_as == SECONDS:
            return {"type": "integer", "minimum": 0, "maximum": 86_400}
        if self.shown_as == YES_NO:
            return {"type": "boolean"}
        values = [value for value, _label in self.choices]
        return {"type": "array", "items": {"enum": values}, "minItems": 1, "uniqueItems": True}

    def display(self, value) -> str:
        """The value as a person reads it on the sheet and in the history."""
        if self.shown_as == CHOICES:
            if set(value) >= {v for v, _label in self.choices}:
                return gettext("All")
            labels = dict(self.choices)
            return ", ".join(str(labels.get(v, v)) for v in value)
        if self.shown_as == YES_NO:
            return gettext("Yes") if value else gettext("No")
        return gettext("%(n)s s") % {"n": value}


_SECONDS_LABEL = _("Minimum call duration (seconds)")
_RESULTS_LABEL = _("Call results that count")

CONDITIONS: tuple[Condition, ...] = (
    Condition(
        "calls",
        "directions",
        _("Call directions that count"),
        _("A call counts when its direction is one of these."),
        CHOICES,
        ["outbound"],
        CALL_DIRECTIONS,
    ),
    Condition(
        "connects",
        "min_duration_seconds",
        _SECONDS_LABEL,
        _("A call is a connect when it lasts at least this long."),
        SECONDS,
        1,
    ),
    Condition(
        "connects",
        "results",
        _RESULTS_LABEL,
        _("A connect must have one of these call results."),
        CHOICES,
        list(catalog.ALL_RESULTS),
        CALL_RESULTS,
        optional=True,
    ),
    Condition(
        "effective_calls",
        "min_duration_seconds",
        _SECONDS_LABEL,
        _("A connect is an effective conversation when it lasts at least this long."),
        SECONDS,
        120,
    ),
    Condition(
        "effective_calls",
        "results",
        _RESULTS_LABEL,
        _("An effective conversation must have one of these call results."),
        CHOICES,
        list(catalog.ALL_RESULTS),
        CALL_RESULTS,
        optional=True,
    ),
    Condition(
        "connectors",
        "min_duration_seconds",
        _SECONDS_LABEL,
        _("A follow-up is a connector when it lasts at least this long."),
        SECONDS,
        1,
    ),
    Condition(
        "target_connects",
        "include_email_replies",
        _("Count email replies from the target person"),
        _("An email reply from the target person counts as a target connect."),
        YES_NO,
        True,
    ),
    Condition(
        "meetings",
        "kinds",
        _("Meeting kinds that count"),
        _("A meeting counts when its kind is one of these."),
        CHOICES,
        ["first", "proposal"],
        MEETING_KINDS,
    ),
)
REGISTRY: dict[tuple[str, str], Condition] = {(c.kpi, c.name): c for c in CONDITIONS}


def for_kpi(key: str) -> tuple[Condition, ...]:
    """A definition's conditions in the order the form and the sheet show them (none for most KPIs)."""
    return tuple(c for c in CONDITIONS if c.kpi == key)


def get(key: str, name: str) -> Condition:
    try:
        return REGISTRY[(key, name)]
    except KeyError:
        raise KeyError(f"{key} has no condition {name!r}") from None


def condition(params: Mapping, key: str, name: str):
    """One condition of a version's params, or its default when the version predates it."""
    conditions = params.get("conditions", {})
    return conditions[name] if name in conditions else get(key, name).default


# --- the whole parameter set: conditions, then the contract's shape ---------------------------


def params_schema(key: str) -> dict:
    kpi = catalog.get(key)
    props: dict = {
        "unit": {"enum": [v for v, _label in UNIT_CHOICES]},
        "direction": {"enum": [v for v, _label in DIRECTION_CHOICES]},
        "review_cadence": {"enum": [v for v, _label in CADENCE_CHOICES]},
    }
    required = ["unit", "direction", "review_cadence"]
    conditions = for_kpi(key)
    if conditions:
        props["conditions"] = {
            "type": "object",
            "properties": {c.name: c.schema for c in conditions},
            "required": sorted(c.name for c in conditions if not c.optional),
            "additionalProperties": False,
        }
        required.append("conditions")
    if kpi.denominator_choices:
        props["denominator"] = {"enum": list(kpi.denominator_choices)}
        required.append("denominator")
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def default_params(key: str) -> dict:
    kpi = catalog.get(key)
    params: dict = {"unit": kpi.unit, "direction": kpi.direction, "review_cadence": "monthly"}
    conditions = for_kpi(key)
    if conditions:
        params["conditions"] = {c.name: _copy(c.default) for c in conditions}
    if kpi.denominator_choices:
        params["denominator"] = kpi.denominator[0]
    return params


def validate_params(key: str, params: dict) -> None:
    """ApplicationError with one message per path ("conditions/results", "(root)") when `params` do
    not fit the KPI's schema; its message lists them all."""
    validator = jsonschema.Draft202012Validator(params_schema(key))
    fields: dict[str, str] = {}
    for err in sorted(validator.iter_errors(params), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path) or "(root)"
        fields[path] = f"{fields[path]}; {err.message}" if path in fields else err.message
    if fields:
        raise ApplicationError("; ".join(f"{path}: {text}" for path, text in fields.items()), fields=fields)


def kpi_label(key: str) -> str:
    spec = catalog.get(key)
    return spec.name_en if (get_language() or "ja").startswith("en") else spec.name_ja


def describe_params(key: str, params: Mapping) -> list[tuple[str, str]]:
    """(label, value) pairs a person reads: the conditions, then the denominator, unit, direction, cadence."""
    lines = [(str(c.label), c.display(condition(params, key, c.name))) for c in for_kpi(key)]
    if params.get("denominator"):
        lines.append((gettext("Denominator"), kpi_label(params["denominator"])))
    for name, label, choices in (
        ("unit", _("Unit"), UNIT_CHOICES),
        ("direction", _("Direction"), DIRECTION_CHOICES),
        ("review_cadence", _("Review cadence"), CADENCE_CHOICES),
    ):
        if name in params:
            lines.append((str(label), str(dict(choices).get(params[name], params[name]))))
    return lines


def _copy(value):
    return list(value) if isinstance(value, list) else value
