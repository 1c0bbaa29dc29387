"""The change feed: the event outbox, its scope index and counter, subscriptions and
their delivery attempts.

Events are append-only and carry the moment they were recorded, so they need no version
table: the feed "as known on" a moment is the events recorded up to then. Subscriptions
and deliveries are the delivery machinery's own state, read by no registry answer. The
same SQL serves SQLite and PostgreSQL.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-02T04:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "change feed: events, subscriptions, deliveries"


def statements() -> list[str]:
    return [
        'CREATE TABLE "event" ("id" UUID PRIMARY KEY NOT NULL, '
        '"sequence" BIGINT UNIQUE NOT NULL, "type" VARCHAR(80) NOT NULL, '
        '"recorded_at" TIMESTAMPTZ NOT NULL, "resource" VARCHAR(200) NOT NULL, "subject" VARCHAR(60) NOT NULL, '
        "\"data\" JSON NOT NULL, \"once_key\" VARCHAR(200) UNIQUE DEFAULT NULL)",
        'CREATE TABLE "event_scope" ("id" UUID PRIMARY KEY NOT NULL, '
        '"sequence" BIGINT NOT NULL, "scope" VARCHAR(60) NOT NULL)',
        'CREATE INDEX "event_scope_scope_sequence" ON "event_scope" ("scope", "sequence")',
        'CREATE INDEX "event_type_sequence" ON "event" ("type", "sequence")',
        'CREATE INDEX "event_subject" ON "event" ("subject", "sequence")',
        'CREATE TABLE "event_counter" ("id" INTEGER PRIMARY KEY NOT NULL, '
        '"last" BIGINT NOT NULL DEFAULT 0)',
        'INSERT INTO "event_counter" ("id", "last") VALUES (1, 0)',
        'CREATE TABLE "subscription" ("id" UUID PRIMARY KEY NOT NULL, '
        '"api_key" VARCHAR(60) NOT NULL, "scope" JSON DEFAULT NULL, '
        "\"municipality_codes\" JSON NOT NULL DEFAULT '[]', "
        "\"types\" JSON NOT NULL DEFAULT '[]', \"callback_url\" VARCHAR(1000) NOT NULL, "
        '"auth" TEXT DEFAULT NULL, "secret" VARCHAR(100) NOT NULL, '
        "\"status\" VARCHAR(20) NOT NULL DEFAULT 'active', "
        "\"status_reason\" TEXT NOT NULL DEFAULT '', "
        '"delivered_through" BIGINT NOT NULL DEFAULT 0, '
        '"failures" INTEGER NOT NULL DEFAULT 0, '
        '"next_attempt_at" DOUBLE PRECISION NOT NULL DEFAULT 0, '
        '"leased_until" DOUBLE PRECISION NOT NULL DEFAULT 0, '
        '"created_at" TIMESTAMPTZ NOT NULL)',
        'CREATE INDEX "subscription_api_key" ON "subscription" ("api_key")',
        'CREATE INDEX "subscription_due" ON "subscription" ("status", "next_attempt_at")',
        'CREATE TABLE "delivery" ("id" UUID PRIMARY KEY NOT NULL, '
        '"subscription" UUID NOT NULL REFERENCES "subscription" ("id") ON DELETE CASCADE, '
        '"event_id" UUID NOT NULL, "sequence" BIGINT NOT NULL, '
        '"attempted_at" TIMESTAMPTZ NOT NULL, "status_code" INTEGER DEFAULT NULL, '
        '"outcome" VARCHAR(20) NOT NULL, "error" TEXT NOT NULL DEFAULT \'\', '
        '"next_attempt_at" TIMESTAMPTZ DEFAULT NULL)',
        'CREATE INDEX "delivery_subscription" ON "delivery" ("subscription", "attempted_at")',
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="registry", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for sql in statements():
            await engine.run_querystring(QueryString(sql))

    manager.add_raw(run)
    return manager
