"""Value lists: each defined once, as a ``StrEnum`` whose members carry their Dutch word.

The code (``"receiving"``) is what the database stores and the API sends; ``.dutch``
(``"ontvangend"``) is what the pages and the exports show. A table column names its list
with ``choices=``, a schema field with the type, a form with ``options(...)``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class Vocabulary(StrEnum):
    """Members are written ``CODE = "code", "Dutch word"``."""

    dutch: str

    # ``dutch`` has a default only so that a type checker reads ``Role("admin")`` (a look-up
    # by code) as the call it is; every member gives its word.
    def __new__(cls, code: str, dutch: str = "") -> Self:
        member = str.__new__(cls, code)
        member._value_ = code
        member.dutch = dutch
        return member

    @classmethod
    def word_for(cls, code: str | None) -> str:
        """The Dutch word for ``code``; the code itself (readably) if it is not in the list."""
        if code is None:
            return ""
        try:
            return cls(code).dutch
        except ValueError:
            return code.replace("_", " ")

    @classmethod
    def options(cls, *, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
        """Code → Dutch word, in the list's order: what a form's select offers."""
        return {m.value: m.dutch for m in cls if m.value not in leave_out}
