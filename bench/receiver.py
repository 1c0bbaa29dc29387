"""The benchmark's receiver, in a process of its own: one ASGI app on many paths.

``POST /secrets`` tells it each path's signing secret; every other POST is an event,
whose signature it verifies. ``GET /report`` answers what arrived: events per path,
whether each path's came in sequence order, and how many failed verification.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

secrets: dict[str, Webhook] = {}
sequences: dict[str, list[int]] = defaultdict(list)
refused = 0
unverified = 0


async def body_of(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def answer(send: Any, status: int, payload: Any = None) -> None:
    body = b"" if payload is None else json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict, receive: Any, send: Any) -> None:
    global refused, unverified
    if scope["type"] != "http":
        return
    path = scope["path"]
    if scope["method"] == "GET" and path == "/report":
        report = {
            "paths": len(sequences),
            "events": sum(len(s) for s in sequences.values()),
            "in_order": all(s == sorted(set(s)) for s in sequences.values()),
            "refused": refused,
        }
        await answer(send, 200, report)
        return
    body = await body_of(receive)
    if path == "/secrets":
        secrets.update({p: Webhook(s) for p, s in json.loads(body).items()})
        await answer(send, 204)
        return
    if path not in secrets:  # the test event of a subscription being created
        unverified += 1
        await answer(send, 204)
        return
    headers = {k.decode(): v.decode() for k, v in scope["headers"]}
    try:
        event = secrets[path].verify(body, headers)
    except WebhookVerificationError:
        refused += 1
        await answer(send, 400)
        return
    sequences[path].append(int(event["sequence"]))
    await answer(send, 204)
