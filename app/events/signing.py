"""Signed deliveries per Standard Webhooks: one POST of one CloudEvent."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime
from math import floor
from typing import Any

from standardwebhooks.webhooks import Webhook


def new_secret() -> str:
    """A subscription's signing secret in the Standard Webhooks form (``whsec_`` + base64)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def signed_request(
    event: dict[str, Any], secret: str, auth: str | None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of the POST that delivers ``event``."""
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    now = datetime.now(UTC)
    headers = {
        "Content-Type": "application/cloudevents+json",
        "webhook-id": event["id"],
        "webhook-timestamp": str(floor(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(event["id"], now, body),
    }
    if auth:
        headers["Authorization"] = auth
    return body.encode(), headers
