"""Which callback URLs a subscription may name: https, or plain http to this machine."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from app.errors import InvalidInput

_LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_callback_url(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in {"https", "http"} or not host:
        raise InvalidInput("callbackUrl must be an absolute https URL", field="callbackUrl")
    if parts.scheme == "http" and not is_loopback(host):
        raise InvalidInput(
            "callbackUrl must use https (plain http only to 127.0.0.1 or localhost)",
            field="callbackUrl",
        )
    if parts.username or parts.password:
        raise InvalidInput("put credentials in auth, not in callbackUrl", field="callbackUrl")
    return url
