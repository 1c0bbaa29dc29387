"""Domain exceptions: what kind of refusal, in Dutch what it is, and why.

They carry no HTTP status. Each surface says them its own way: the API as problem
details (the one status mapping is in ``app.api.problems``), the pages beside the form
field, the command line as one line. ``kind`` is the stable slug of the problem type.
"""

from __future__ import annotations


class DomainError(Exception):
    kind = "bad-request"
    title = "Ongeldige invoer"

    def __init__(self, detail: str, *, field: str | None = None, nl: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        #: The input it is about, as the API names it (``parties[0].organisationId``).
        self.field = field
        #: The same in Dutch, for the message a form shows beside that field.
        self.nl = nl


class InvalidInput(DomainError):
    kind = "invalid-input"


class UnreadableFile(InvalidInput):
    """A staff file that is broken or hostile: bad encoding, bad zip, bad or unsafe XML."""

    kind = "unreadable-file"
    title = "Onleesbaar bestand"


class FileLimitExceeded(DomainError):
    """A staff file past a limit that a setting can raise (rows, columns, cell length)."""

    kind = "file-limit"
    title = "Bestand buiten de grenzen"

    def __init__(self, detail: str, *, setting: str) -> None:
        super().__init__(f"{detail} (setting {setting})", field="file")
        self.setting = setting


class FileTooLarge(FileLimitExceeded):
    """A staff file with more bytes, packed or unpacked, than the setting allows."""

    title = "Bestand te groot"


class NotFound(DomainError):
    kind = "not-found"
    title = "Niet gevonden"


class Forbidden(DomainError):
    kind = "forbidden"
    title = "Geen toegang"


class Conflict(DomainError):
    kind = "conflict"
    title = "Conflict"


class IllegalTransition(Conflict):
    kind = "illegal-transition"
    title = "Overgang niet toegestaan"


class OverlappingProvision(Conflict):
    kind = "overlapping-provision"
    title = "Overlappende levering"


class PreconditionRequired(DomainError):
    """An edit without the version it was made on (``If-Match``, the form's hidden field)."""

    kind = "if-match-required"
    title = "Voorwaarde vereist"


class PreconditionFailed(DomainError):
    """An edit made on a version that someone else has since replaced."""

    kind = "stale-version"
    title = "Voorwaarde niet vervuld"
