"""The one error the product raises for input it cannot accept or an action it refuses: a message for
people and, where the input had named fields, one message per field. Pages show it beside the form;
the API answers with the same content and status (kpi/api/exception_handler.py)."""


class ApplicationError(Exception):
    def __init__(self, message: str, *, fields: dict[str, str] | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        self.status = status

    def __str__(self) -> str:
        return str(self.message)
