"""One error vocabulary: services raise DomainError; the API maps it to HTTP, commands to CommandError."""


class DomainError(Exception):
    """A refusal a person can act on: a stable machine code and the same message in French and English."""

    status_code = 400

    def __init__(self, code: str, message_fr: str, message_en: str, *, details=None, status_code=None):
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_fr = message_fr
        self.message_en = message_en
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code

    def as_dict(self) -> dict:
        body = {"code": self.code, "message": {"fr": self.message_fr, "en": self.message_en}}
        if self.details:
            body["details"] = self.details
        return body


class NotFound(DomainError):
    status_code = 404


def refuse_fields_outside(fields, allowed: set[str]) -> None:
    """Refuses (field_not_allowed) any field a service does not let people set, naming them."""
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise DomainError("field_not_allowed", f"Champs non modifiables : {', '.join(unknown)}.",
                          f"Fields you cannot set: {', '.join(unknown)}.", details={"fields": unknown})
