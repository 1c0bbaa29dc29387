"""Fixed API keys for the demo, so the README's examples work as printed.

Only ``handover demo`` creates them; a production database never gets them.
"""

from __future__ import annotations

from app.access.keys import hash_key, legacy_hash_key, resolve_organisations
from app.database import write_transaction
from app.store.audit import record_event
from app.tables.tables import ApiKey

#: role label → (key, scope shown to the person running the demo)
DEMO_KEYS: dict[str, tuple[str, str]] = {
    "admin": ("hov_demo_admin", "everything"),
    "registrar": ("hov_demo_registrar", "records handovers"),
    "hr": ("hov_demo_hr_werkpro", "HR of Stichting WerkPro"),
    "management": ("hov_demo_management_werkpro", "management of Stichting WerkPro"),
    "municipality": ("hov_demo_gemeente_groningen", "gemeente Groningen (GM0014)"),
}

_SCOPES: dict[str, tuple[str, list[str], list[str]]] = {
    "admin": ("admin", [], []),
    "registrar": ("registrar", [], []),
    "hr": ("hr", ["Stichting WerkPro"], []),
    "management": ("management", ["Stichting WerkPro"], []),
    "municipality": ("municipality", [], ["GM0014"]),
}


async def ensure_demo_keys() -> None:
    async with write_transaction():
        for label, (key, _) in DEMO_KEYS.items():
            if await ApiKey.exists().where(ApiKey.key_hash == hash_key(key)):
                continue
            # A demo database from before keys were hashed with the secret: rehash in place.
            legacy = ApiKey.key_hash == legacy_hash_key(key)
            if await ApiKey.exists().where(legacy):
                await ApiKey.update({ApiKey.key_hash: hash_key(key)}).where(legacy)
                continue
            role, organisations, codes = _SCOPES[label]
            row = ApiKey(
                name=f"demo {label}",
                role=role,
                key_hash=hash_key(key),
                prefix=key[:10],
                organisation_ids=await resolve_organisations(organisations),
                municipality_codes=codes,
            )
            await ApiKey.insert(row)
            await record_event(
                actor="demo",
                action="create",
                record_type="api_key",
                record_id=row.id,
                after={"name": row.name, "role": role},
            )
