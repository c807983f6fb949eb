"""The API's one pagination (settings.REST_FRAMEWORK): ?limit= and ?offset=, bounded.

Unbounded, `?limit=` over 2^63 reached the database as an out-of-range LIMIT and answered 500.
A limit above MAX_LIMIT is clamped to it (DRF's own rule for max_limit), so a client asking for
"everything" gets full pages; an offset past any real list is clamped below bigint's range and
answers an empty page. Both stay documented as integers with their bounds in the schema.
"""

from rest_framework.pagination import LimitOffsetPagination

from .. import bounds

MAX_LIMIT = 1_000
MAX_OFFSET = bounds.BIGINT_MAX // 2


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = MAX_LIMIT

    def get_offset(self, request) -> int:
        return min(super().get_offset(request), MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_LIMIT})
                parameter["description"] = (
                    f"Number of results per page (1 to {MAX_LIMIT}; more is read as {MAX_LIMIT})."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update({"minimum": 0})
        return parameters
