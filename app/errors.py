"""Domain exceptions. The HTTP layer maps each to a problem details response once."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    title = "Ongeldige invoer"
    type_slug = "bad-request"

    def __init__(self, detail: str, *, field: str | None = None, nl: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        #: The input it is about, as the API names it (``parties[0].organisationId``).
        self.field = field
        #: The same in Dutch, for the message a form shows beside that field.
        self.nl = nl


class InvalidInput(DomainError):
    status = 400
    title = "Ongeldige invoer"
    type_slug = "invalid-input"


class UnreadableFile(InvalidInput):
    """A staff file that is broken or hostile: bad encoding, bad zip, bad or unsafe XML."""

    status = 422
    title = "Onleesbaar bestand"
    type_slug = "unreadable-file"


class FileLimitExceeded(DomainError):
    """A staff file past a limit a setting can raise: 413 for size, 422 for shape."""

    status = 422
    title = "Bestand buiten de grenzen"
    type_slug = "file-limit"

    def __init__(self, detail: str, *, setting: str, too_large: bool = False) -> None:
        super().__init__(f"{detail} (setting {setting})", field="file")
        self.setting = setting
        if too_large:
            self.status = 413
            self.title = "Bestand te groot"


class NotFound(DomainError):
    status = 404
    title = "Niet gevonden"
    type_slug = "not-found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class IllegalTransition(Conflict):
    title = "Overgang niet toegestaan"
    type_slug = "illegal-transition"


class OverlappingProvision(Conflict):
    title = "Overlappende levering"
    type_slug = "overlapping-provision"


class Forbidden(DomainError):
    status = 403
    title = "Geen toegang"
    type_slug = "forbidden"
