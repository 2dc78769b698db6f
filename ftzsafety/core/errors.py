"""Domain errors. Each carries its HTTP status, a stable code and details.

One handler in `ftzsafety.api` renders them as `{"code", "message", "detail"}`; pages show the message.
"""

from typing import Any


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.extra = extra or {}


class ValidationFailed(DomainError):
    """Input broke a rule. `extra["fields"]` maps field name → list of messages."""

    status = 422
    code = "validation_failed"

    @classmethod
    def for_fields(cls, fields: dict[str, list[str]]) -> "ValidationFailed":
        messages = next(iter(fields.values()))
        return cls(str(messages[0]), extra={"fields": {k: [str(m) for m in v] for k, v in fields.items()}})

    @property
    def fields(self) -> dict[str, list[str]]:
        return self.extra.get("fields", {})


class NotFound(DomainError):
    """Missing, or not visible to this person: the two are deliberately indistinguishable."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "permission_denied"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"
