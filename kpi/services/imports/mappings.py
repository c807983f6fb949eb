"""Import profiles: the built-in presets for the exports IS teams use, and saving, changing and
deleting profiles (ops manage them on the imports page; kpi/permissions.py says who may).

A preset becomes a profile row the first time profiles are listed or one is asked for by name; ops
may then edit it (adding a value the preview found, say), and deleting it resets it to the preset.
What each preset reads, and what its source cannot give, is in docs/imports/<name>.md.
"""

from django.db import transaction

from accounts.models import User

from ...errors import ApplicationError
from ...models import ImportProfile
from .columns import DIRECTIONS, RESULTS

MIITEL_TYPES = {
    # 通話種別: direction and result in one column
    "発信": ("outbound", "connected"),
    "発信 (不在)": ("outbound", "no_answer"),
    "着信": ("inbound", "connected"),
    "着信 (不在)": ("inbound", "no_answer"),
    "留守番電話": ("inbound", "voicemail"),
    "転送": ("inbound", "connected"),
}
ZOOM_RESULTS = {
    "Call connected": "connected",
    "No Answer": "no_answer",
    "Voicemail": "voicemail",
    "Busy": "busy",
    "Missed": "no_answer",
    "Call Cancel": "no_answer",
    "Rejected": "busy",
    "Blocked": "failed",
}
HUBSPOT_DISPOSITIONS = {
    "f240bbac-87c9-4f6e-bf70-924b57d47db7": "connected",
    "73a0d17f-1163-4015-bdd5-ec830791da20": "no_answer",
    "9d9162e7-6cf3-4944-bf63-4dff82258764": "busy",
    "b2cf5968-551e-4856-9783-52b3da59a7d0": "voicemail",
    "a4c4c377-d246-4b32-a13b-75a56a4cd0ff": "gatekeeper",
    "17b47fee-58de-441e-a44c-c6300d46f273": "wrong_number",
}
PRESETS = {
    "miitel": {
        "source": "miitel",
        "columns": {
            "external_id": "シーケンス ID",
            "rep_email": "ユーザー名",
            "rep_fallback": "発信元",
            "started_at": "ダイヤル開始日時",
            "duration_seconds": "通話時間",
            "direction": "通話種別",
            "result": "通話種別",
            "note": "応対メモ",
        },
        "rep_lookup": "name",
        "duration_unit": "seconds",
        "timezone": "Asia/Tokyo",
        "direction_values": {raw: pair[0] for raw, pair in MIITEL_TYPES.items()},
        "result_values": {raw: pair[1] for raw, pair in MIITEL_TYPES.items()},
        "skip_values": ["内線"],
    },
    "zoom-phone": {
        "source": "zoom-phone",
        "columns": {
            "rep_email": "email",
            "started_at": "date_time",
            "duration_seconds": "duration",
            "direction": "direction",
            "result": "result",
        },
        "id_from": ["email", "date_time", "caller_number", "callee_number"],
        "rep_lookup": "email",
        "duration_unit": "seconds",
        "timezone": "UTC",
        "result_values": ZOOM_RESULTS,
    },
    "salesforce-task": {
        "source": "salesforce",
        "columns": {
            "external_id": "活動 ID",
            "rep_email": "任命先",
            "started_at": "作成日",
            "duration_seconds": "通話時間 (秒)",
            "direction": "通話種別",
            "result": "通話結果",
            "note": "件名",
        },
        "rep_lookup": "name",
        "duration_unit": "seconds",
        "timezone": "Asia/Tokyo",
        "result_values": {
            "担当者と会話": "connected",
            "呼び出しに失敗しました": "failed",
            "担当者不在": "gatekeeper",
        },
        "skip_values": ["Internal", "内線"],
    },
    "hubspot-calls": {
        "source": "hubspot",
        "columns": {
            "external_id": "hs_object_id",
            "rep_email": "hubspot_owner_id",
            "started_at": "hs_timestamp",
            "duration_seconds": "hs_call_duration",
            "direction": "hs_call_direction",
            "result": "hs_call_disposition",
            "note": "hs_call_title",
        },
        "rep_lookup": "alias",
        "duration_unit": "milliseconds",
        "timezone": "UTC",
        "result_values": HUBSPOT_DISPOSITIONS,
    },
}
VALUE_CHOICES = {"direction": tuple(DIRECTIONS), "result": tuple(RESULTS)}
PROFILE_KEYS = (
    "source",
    "columns",
    "id_from",
    "rep_lookup",
    "duration_unit",
    "timezone",
    "direction_values",
    "result_values",
    "skip_values",
)


def _preset_fields(name: str) -> dict:
    preset = PRESETS[name]
    return {key: preset.get(key, ImportProfile._meta.get_field(key).get_default()) for key in PROFILE_KEYS}


def import_profiles_ensure_builtin() -> None:
    """The presets that have no row yet (never used, or deleted to reset them) get one."""
    have = set(ImportProfile.objects.filter(name__in=PRESETS).values_list("name", flat=True))
    for name in PRESETS:
        if name not in have:
            ImportProfile.objects.get_or_create(name=name, defaults={"builtin": name, **_preset_fields(name)})


def import_profile_named(name: str) -> ImportProfile | None:
    """The profile of that name; a preset's row is created on first use."""
    found = ImportProfile.objects.filter(name=name).first()
    if found is None and name in PRESETS:
        found, _ = ImportProfile.objects.get_or_create(name=name, defaults={"builtin": name, **_preset_fields(name)})
    return found


def import_profile_save(*, name: str, fields: dict, by: User, profile: ImportProfile | None = None) -> ImportProfile:
    """Create a profile, or change `profile` (its name included); fields as ImportProfile's."""
    clash = ImportProfile.objects.filter(name=name).exclude(pk=profile.pk if profile else None)
    if clash.exists():
        raise ApplicationError("a profile with this name exists", fields={"name": ["taken"]})
    profile = profile or ImportProfile(builtin="")
    profile.name = name
    for key in PROFILE_KEYS:
        if key in fields:
            setattr(profile, key, fields[key])
    profile.created_by = profile.created_by or by
    profile.save()
    return profile


def import_profile_delete(*, profile: ImportProfile) -> None:
    """A built-in profile comes back as its preset the next time profiles are listed."""
    profile.delete()


@transaction.atomic
def import_profile_add_values(*, profile: ImportProfile, values: list[tuple[str, str, str]]) -> int:
    """Add (column, raw value, contract value) entries the preview found; column direction or result,
    or "skip" (raw values that mark rows not to import). Returns how many were added."""
    profile = ImportProfile.objects.select_for_update().get(pk=profile.pk)
    added = 0
    for column, raw, value in values:
        if not raw:
            continue
        if column == "skip" or value == "skip":
            if raw not in profile.skip_values:
                profile.skip_values = [*profile.skip_values, raw]
                added += 1
            continue
        if value not in VALUE_CHOICES.get(column, ()):
            raise ApplicationError(f"unknown {column} value: {value}", fields={column: [value]})
        target = profile.direction_values if column == "direction" else profile.result_values
        target[raw] = value
        added += 1
    profile.save()
    return added
