"""Identifiers of the Dutch registers the registry refers to."""

from __future__ import annotations

import re

from app.errors import InvalidInput

CBS_CODE = re.compile(r"^GM\d{4}$")
KVK_NUMBER = re.compile(r"^\d{8}$")


def check_cbs_code(code: str, field: str = "code") -> str:
    if not CBS_CODE.fullmatch(code):
        raise InvalidInput(
            f"{code!r} is not a CBS municipality code (GM followed by 4 digits)", field=field
        )
    return code


def check_kvk_number(number: str, field: str = "kvkNumber") -> str:
    if not KVK_NUMBER.fullmatch(number) or number == "00000000":
        raise InvalidInput(f"{number!r} is not a KvK number (8 digits)", field=field)
    return number
