"""Settings, read from the environment once."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///./handover.sqlite"
API_VERSION = "1.0.0"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    postgres_pool_size: int
    request_max_body_bytes: int
    #: Seconds a process trusts its cached lookup of an API key (revocation elsewhere
    #: takes effect within this time; 0 = look every key up on every request).
    key_cache_seconds: float
    #: Requests per key (anonymous: per client address) per process, e.g. "600/minute";
    #: "0" turns the limit off.
    rate_limit: str
    answer_cache: bool
    #: Seconds shutdown waits for database connections still in use before cutting them.
    shutdown_seconds: float
    #: Served behind TLS (a terminating proxy): pages and answers send HSTS.
    behind_tls: bool
    #: Redis shared by every process (rate limits, login throttle, key revocations);
    #: ``None``: each process keeps its own counts.
    redis_url: str | None = None
    #: Prefix of every Redis key the registry writes, so registries can share one Redis.
    redis_prefix: str = "handover:"
    #: Failed logins at /inloggen per username, and per client address, per 15 minutes.
    login_attempts_per_user: int = 10
    login_attempts_per_address: int = 100
    #: Limits on a staff file, checked while it is read, so that a small hostile file
    #: cannot take a worker's memory or time.
    import_max_rows: int = 200_000
    import_max_columns: int = 50
    import_max_cell: int = 1000
    import_max_bytes_unpacked: int = 50 * 1024 * 1024
    #: The CloudEvents ``source`` of every event (NL GOV profile: a ``urn:nld:`` URN).
    event_source: str = "urn:nld:oin:00000000000000000000:systeem:overdrachtsregister"
    #: Where the API is reached from outside: the base of each event's ``dataref``.
    public_url: str = "http://127.0.0.1:8000"
    #: Delivery to subscriptions: seconds per request, retries before a subscription is
    #: suspended, and the backoff (first wait, factor): Open Notificaties' defaults.
    delivery_timeout: float = 10.0
    delivery_retries: int = 5
    delivery_backoff_seconds: float = 3.0
    delivery_backoff_factor: float = 3.0
    #: POSTs one worker has in flight at once. httpx's pool slows down past a handful of
    #: concurrent requests (684 POSTs: 1.4 s at 4 at once, 13 s at 100, on the bench box);
    #: more workers, not more concurrency, is what scales delivery to slow receivers.
    delivery_concurrency: int = 8
    #: Seconds the worker sleeps when nothing is due.
    worker_poll_seconds: float = 1.0

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("HANDOVER_DATABASE_URL") or DEFAULT_DATABASE_URL,
        postgres_pool_size=int(os.environ.get("HANDOVER_POSTGRES_POOL_SIZE", "10")),
        request_max_body_bytes=int(os.environ.get("HANDOVER_MAX_BODY_BYTES", str(2 * 1024 * 1024))),
        key_cache_seconds=float(os.environ.get("HANDOVER_KEY_CACHE_SECONDS", "10")),
        rate_limit=os.environ.get("HANDOVER_RATE_LIMIT", "600/minute").strip(),
        answer_cache=os.environ.get("HANDOVER_ANSWER_CACHE", "1").strip() not in {"0", "off"},
        redis_url=os.environ.get("HANDOVER_REDIS_URL", "").strip() or None,
        redis_prefix=os.environ.get("HANDOVER_REDIS_PREFIX", "handover:"),
        login_attempts_per_user=int(os.environ.get("HANDOVER_LOGIN_ATTEMPTS_PER_USER", "10")),
        login_attempts_per_address=int(
            os.environ.get("HANDOVER_LOGIN_ATTEMPTS_PER_ADDRESS", "100")
        ),
        shutdown_seconds=float(os.environ.get("HANDOVER_SHUTDOWN_SECONDS", "5")),
        behind_tls=os.environ.get("HANDOVER_BEHIND_TLS", "0").strip() in {"1", "on", "true"},
        import_max_rows=int(os.environ.get("HANDOVER_IMPORT_MAX_ROWS", "200000")),
        import_max_columns=int(os.environ.get("HANDOVER_IMPORT_MAX_COLUMNS", "50")),
        import_max_cell=int(os.environ.get("HANDOVER_IMPORT_MAX_CELL", "1000")),
        import_max_bytes_unpacked=int(
            os.environ.get("HANDOVER_IMPORT_MAX_BYTES_UNPACKED", str(50 * 1024 * 1024))
        ),
        event_source=os.environ.get("HANDOVER_EVENT_SOURCE", "").strip()
        or "urn:nld:oin:00000000000000000000:systeem:overdrachtsregister",
        public_url=(
            os.environ.get("HANDOVER_PUBLIC_URL", "").strip() or "http://127.0.0.1:8000"
        ).rstrip("/"),
        delivery_timeout=float(os.environ.get("HANDOVER_DELIVERY_TIMEOUT", "10")),
        delivery_retries=int(os.environ.get("HANDOVER_DELIVERY_RETRIES", "5")),
        delivery_backoff_seconds=float(os.environ.get("HANDOVER_DELIVERY_BACKOFF", "3")),
        delivery_backoff_factor=float(os.environ.get("HANDOVER_DELIVERY_BACKOFF_FACTOR", "3")),
        worker_poll_seconds=float(os.environ.get("HANDOVER_WORKER_POLL_SECONDS", "1")),
        delivery_concurrency=int(os.environ.get("HANDOVER_DELIVERY_CONCURRENCY", "8")),
    )


def staff_retention_days() -> int:
    """Days after a handover is completed or cancelled until ``handover retention`` erases
    its staff's personal data (the README says why 365 by default). Read when asked, so a
    bad value stops only what needs it, with a one-line reason."""
    variable = "HANDOVER_STAFF_RETENTION_DAYS"
    text = os.environ.get(variable, "").strip()
    if not text:
        return 365
    if not text.isdigit():
        raise SettingsError(f"{variable} must be a whole number of days, not {text!r}")
    return int(text)


class SettingsError(ValueError):
    """A setting in the environment cannot be used."""


class DatabaseURLError(ValueError):
    """The configured database URL cannot be used."""


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """The server's secret: keys API-key hashes, signs sessions' CSRF tokens.

    From HANDOVER_SECRET_KEY; otherwise generated once into HANDOVER_SECRET_FILE
    (default ./handover.secret, mode 0600) so that an embedded demo needs no setup.
    Production sets the variable, the same for every process. Read once per process:
    every request's key is hashed under it.
    """
    if value := os.environ.get("HANDOVER_SECRET_KEY"):
        return value.encode()
    path = Path(os.environ.get("HANDOVER_SECRET_FILE", "handover.secret"))
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip().encode()
    value = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w") as file:
        file.write(value + "\n")
    return value.encode()
