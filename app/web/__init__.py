"""The Dutch web pages for people (session login), their static files and Piccolo Admin."""

from __future__ import annotations

from pathlib import Path

from litestar import Router
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.handlers import ASGIRouteHandler
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from app.api.inputs import check_input
from app.settings import secret_key
from app.web.admin import admin_handler
from app.web.forms import field_id
from app.web.handover_forms import HandoverFormController
from app.web.labels import FILTERS
from app.web.organisation_forms import OrganisationFormController
from app.web.pages import PAGE_EXCEPTION_HANDLERS, LoginController, PageController
from app.web.service_forms import ServiceFormController
from app.web.session import provide_viewer
from app.web.staff_forms import StaffFormController
from app.web.subscriptions_page import SubscriptionPageController

__all__ = ["template_config", "web_routes"]

HERE = Path(__file__).parent
#: Not Piccolo's ``csrftoken``: both CSRF cookies live on the same site.
CSRF_COOKIE = "handover_csrf"


def _add_filters(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters.update(FILTERS)
    engine.engine.filters["field_id"] = field_id


def template_config() -> TemplateConfig:
    return TemplateConfig(
        directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_add_filters
    )


def csrf_config() -> CSRFConfig:
    """For the pages' router only: the API authenticates with bearer keys (no cookie to
    ride on) and Piccolo Admin has its own CSRF check."""
    return CSRFConfig(secret=secret_key().decode(), cookie_name=CSRF_COOKIE, cookie_httponly=True)


def web_routes() -> list[Router | ASGIRouteHandler]:
    pages = Router(
        path="/",
        route_handlers=[
            LoginController,
            HandoverFormController,
            StaffFormController,
            ServiceFormController,
            OrganisationFormController,
            PageController,
            SubscriptionPageController,
        ],
        dependencies={"viewer": Provide(provide_viewer, sync_to_thread=False)},
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        # Dates in the pages' queries too lie in the range the chart computes within.
        before_request=check_input,
        include_in_schema=False,
        # Inside the app's middleware, so a refused form is logged with its 403.
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf_config())],
    )
    static = create_static_files_router(
        path="/static", directories=[HERE / "static"], include_in_schema=False
    )
    return [pages, static, admin_handler()]
