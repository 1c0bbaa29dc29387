"""One template for the short forms (a service, a provision, an organisation): the
fields are described here, the template draws them in the NL Design System pattern."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar.response import Template

from app.access.roles import Principal
from app.web.forms import FormErrors


def text(name: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "text", "name": name, "label": label, **extra}


def date_field(name: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "date", "name": name, "label": label, **extra}


def textarea(name: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "textarea", "name": name, "label": label, **extra}


def select(name: str, label: str, options: Mapping[str, str], **extra: Any) -> dict[str, Any]:
    return {"kind": "select", "name": name, "label": label, "options": options, **extra}


@dataclass(frozen=True, slots=True)
class Back:
    href: str
    label: str


def simple_form(
    viewer: Principal,
    *,
    heading: str,
    action: str,
    fields: list[dict[str, Any]],
    values: Mapping[str, str],
    errors: FormErrors,
    submit: str,
    back: Back | None = None,
    intro: str = "",
    saved: bool = False,
    links: list[Back] | None = None,
    status_code: int = 200,
) -> Template:
    return Template(
        template_name="simple_form.html",
        context={
            "viewer": viewer,
            "heading": heading,
            "action": action,
            "fields": fields,
            "values": values,
            "errors": errors,
            "submit": submit,
            "back": back,
            "intro": intro,
            "saved": saved,
            "links": links or [],
        },
        status_code=status_code,
    )
