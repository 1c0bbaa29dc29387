"""Structured logs: one JSON object per line, exceptions folded into the line."""

from __future__ import annotations

import logging
from typing import Any

import msgspec
import structlog
import structlog.tracebacks

_encode = msgspec.json.Encoder(enc_hook=repr).encode


def _json_line(event: dict[str, Any], **_: Any) -> bytes:
    # msgspec rather than the json module: a line per request, so its cost counts.
    return _encode(event)


def configure_logging(level: int = logging.INFO) -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            # Frames without their local variables: those hold keys and personal data.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(serializer=_json_line),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.BytesLoggerFactory(),
        cache_logger_on_first_use=True,
    )
