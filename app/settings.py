"""Settings, read from the environment once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_DATABASE_URL = "sqlite:///./handover.sqlite"
API_VERSION = "1.0.0"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    postgres_pool_size: int
    request_max_body_bytes: int

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql://", "postgres://"))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings(
        database_url=os.environ.get("HANDOVER_DATABASE_URL") or DEFAULT_DATABASE_URL,
        postgres_pool_size=int(os.environ.get("HANDOVER_POSTGRES_POOL_SIZE", "10")),
        request_max_body_bytes=int(os.environ.get("HANDOVER_MAX_BODY_BYTES", str(2 * 1024 * 1024))),
    )


class DatabaseURLError(ValueError):
    """The configured database URL cannot be used."""
