"""Piccolo's configuration: the engine comes from HANDOVER_DATABASE_URL (see app.database)."""

from piccolo.conf.apps import AppRegistry

from app.database import DB

__all__ = ["APP_REGISTRY", "DB"]

APP_REGISTRY = AppRegistry(
    apps=[
        "app.tables.piccolo_app",
        "piccolo.apps.user.piccolo_app",
        "piccolo_api.session_auth.piccolo_app",
    ]
)
