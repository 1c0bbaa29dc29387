"""The one gate every exported cell passes through, for CSV and XLSX alike.

Text is cleaned of the control characters XML 1.0 cannot hold (openpyxl refuses them,
and one such title would make the whole export fail), and text a spreadsheet would run
as a formula is neutralised as OWASP advises for CSV injection: a leading ``'`` makes
Excel and LibreOffice show it as text. Numbers, dates and booleans are not text and stay
what they are, so a negative FTE is still a number. The staff import takes that quote off
again (:func:`unquote_formula`), so a staff export imports back unchanged.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_formula(text: str) -> bool:
    # Quotes before a formula count as part of it, so that unquoting is the exact inverse.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def safe_text(text: str) -> str:
    """``text`` without control characters, and with a ``'`` first if it could be a formula."""
    cleaned = CONTROL_CHARACTERS.sub("", text)
    if _looks_like_formula(cleaned):
        return "'" + cleaned
    return cleaned


def safe_cell(value: Any) -> Any:
    """``value`` as an export may write it: text through :func:`safe_text`, the rest as is."""
    if isinstance(value, str):
        return safe_text(value)
    return value


def unquote_formula(text: str) -> str:
    """The inverse of the quote :func:`safe_text` puts before a formula."""
    return text[1:] if text.startswith("'") and _looks_like_formula(text) else text
