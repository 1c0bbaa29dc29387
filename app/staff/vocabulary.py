"""The staff transfer's value lists, with their Dutch words."""

from __future__ import annotations

from app.vocabulary import Vocabulary


class StaffBasis(Vocabulary):
    """On what footing someone goes over to the receiving organisation (or does not)."""

    TRANSFER_OF_UNDERTAKING = "transfer_of_undertaking", "overgang van onderneming"
    NEW_CONTRACT = "new_contract", "nieuw contract"
    SECONDMENT = "secondment", "detachering"
    NOT_TRANSFERRING = "not_transferring", "gaat niet over"


class StaffStatus(Vocabulary):
    """Where a staff transfer is; it moves forward only, or ends declined."""

    PROPOSED = "proposed", "voorgesteld"
    INFORMED = "informed", "geïnformeerd"
    AGREED = "agreed", "akkoord"
    TRANSFERRED = "transferred", "overgegaan"
    DECLINED = "declined", "afgezien"


#: The forward path of a staff transfer; ``declined`` is possible before ``transferred``.
STAFF_FLOW = (
    StaffStatus.PROPOSED,
    StaffStatus.INFORMED,
    StaffStatus.AGREED,
    StaffStatus.TRANSFERRED,
)
