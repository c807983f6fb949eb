"""OpenAPI pieces the generated schema needs beyond what drf-spectacular infers.

- The integration token, so /api/schema/ documents how integrations sign in.
- The ingest records, built from the same field tables the checker enforces
  (kpi/services/imports/records.py, kpi/bounds.FieldSpec): type, unit, limits, choices, and
  additionalProperties false, since an unknown field is refused. Nothing is written twice, so the
  documentation cannot drift from the checks (tests/kpi/api/test_schema.py compares them).
- Every operation's error answers (400, 401, 403, 404, 405, 413, 415, 429) with the one error body of
  kpi/api/exception_handler.py, added by a postprocessing hook (settings.SPECTACULAR_SETTINGS).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from ..bounds import FieldSpec


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "kpi.api.auth.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, issued by ops per integration. Allowed on the ingest endpoints only.",
        }


_JSON_TYPES = {
    "text": {"type": "string"},
    "email": {"type": "string", "format": "email"},
    "datetime": {"type": "string", "example": "2026-11-20T10:15:00+09:00"},
    "word": {"type": "string"},
    "choice": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "integer"},
    "boolean": {"type": "boolean"},
}


def field_schema(spec: FieldSpec) -> dict:
    schema = {**_JSON_TYPES[spec.kind], "description": spec.description, "nullable": True}
    if spec.required:
        schema["description"] += " Required for a new record; a re-sent record may leave it out."
        schema.pop("nullable")
    if spec.kind in ("text", "email", "datetime"):
        schema["maxLength"] = spec.max_length
    if spec.kind == "choice":
        schema["enum"] = list(spec.choices)
    if spec.kind == "word":
        schema["description"] += " One of: " + ", ".join(spec.choices) + " (the file import's Japanese words too)."
    if spec.minimum is not None:
        schema["minimum"] = int(spec.minimum)
    if spec.maximum is not None:
        schema["maximum"] = int(spec.maximum)
    if spec.default is not None:
        schema["default"] = spec.default
    if spec.unit:
        schema["x-unit"] = spec.unit
    return schema


def record_schema(specs: tuple[FieldSpec, ...], description: str) -> dict:
    """One record as JSON Schema; only external_id is required of every record (a re-sent one is a
    partial update), the others of a new record (said in each description)."""
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": ["external_id"],
        "properties": {spec.name: field_schema(spec) for spec in specs},
    }


def ingest_request_schema(specs: tuple[FieldSpec, ...], description: str, max_records: int) -> dict:
    return {
        "type": "object",
        "required": ["records"],
        "properties": {
            "records": {
                "type": "array",
                "minItems": 1,
                "maxItems": max_records,
                "items": record_schema(specs, description),
            },
            "source": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Ops users only (a payload replayed by hand); a token's records take its own source.",
            },
        },
    }


ERROR_BODY = {
    "type": "object",
    "required": ["message", "extra"],
    "properties": {
        "message": {"type": "string"},
        "extra": {
            "type": "object",
            "properties": {"fields": {"type": "object", "additionalProperties": True}},
        },
    },
}
_ERRORS = {
    "400": "Refused input: the message, and one message per bad field.",
    "401": "Not signed in, or a bad or revoked token.",
    "403": "Signed in, but not allowed.",
    "404": "No such object (or not one this user may see).",
    "405": "This address does not take this method.",
    "413": "The request body is larger than the server accepts.",
    "415": "The body is not JSON (or form data where the operation takes it).",
    "429": "Too many requests.",
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: every operation documents the error answers with their one body."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_BODY
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, text in _ERRORS.items():
                answer = operation["responses"].setdefault(code, {"description": text})
                # A view that names an error answer without its body gets the one error body too.
                answer.setdefault("content", {"application/json": {"schema": ref}})
    return result


def fields_markdown(specs: tuple[FieldSpec, ...]) -> str:
    """The field table of docs/api.md, from the same specs (a test keeps the page equal to it)."""
    lines = ["| field | type | unit | limits | required for a new record | default |", "|---|---|---|---|---|---|"]
    for spec in specs:
        if spec.kind in ("choice", "word"):
            limits = ", ".join(f"`{c}`" for c in spec.choices)
        elif spec.minimum is not None:
            limits = f"{int(spec.minimum):,} to {int(spec.maximum):,}"
        elif spec.kind == "datetime":
            limits = "2000-01-01 to the end of next year"
        elif spec.kind in ("text", "email"):
            limits = f"at most {spec.max_length:,} characters"
        else:
            limits = ""
        default = "" if spec.default in (None, "") else f"`{str(spec.default).lower()}`"
        required = "yes" if spec.required else ""
        lines.append(f"| `{spec.name}` | {spec.kind} | {spec.unit} | {limits} | {required} | {default} |")
    return "\n".join(lines)
