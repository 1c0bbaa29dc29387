"""The Dutch pages: thin controllers over ``app.web.views``."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import Body, PathParameter, QueryParameter
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap

from app.access.roles import Principal
from app.api.problems import TITLES, status_of
from app.dates import today
from app.errors import DomainError, FileTooLarge, Forbidden
from app.exchange.staff_import import import_staff
from app.web import service_view, throttle, views
from app.web.session import (
    SESSION_COOKIE,
    LoginRequired,
    log_in,
    log_out,
    login_url,
    require_login,
    safe_next,
)

Viewer = NamedDependency[Principal]
HandoverId = Annotated[UUID, PathParameter(description="The handover's id.")]
WRONG_LOGIN = "Gebruikersnaam of wachtwoord onjuist."
TOO_MANY_LOGINS = (
    "Te veel mislukte inlogpogingen. Probeer het over {minutes} {unit} opnieuw, "
    "of vraag de beheerder uw wachtwoord opnieuw in te stellen."
)


def page(
    name: str,
    viewer: Principal | None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    return Template(
        template_name=name,
        context={"viewer": viewer, **context},
        status_code=status_code,
        headers=headers,
    )


@dataclass
class LoginForm:
    username: str = ""
    password: str = ""
    next: str = "/"


@dataclass
class StaffUpload:
    file: UploadFile
    skip_invalid: str | None = None


class LoginController(Controller):
    @get("/inloggen")
    async def login_form(
        self, next_path: Annotated[str | None, QueryParameter(name="next", required=False)] = None
    ) -> Template:
        return page("login.html", None, next=safe_next(next_path))

    @post("/inloggen", status_code=303)
    async def login(
        self,
        request: Request,
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Template | Redirect:
        target = safe_next(data.next)
        attempt = await throttle.begin_attempt(
            data.username, request.client.host if request.client else ""
        )
        if attempt.retry_after is not None:
            minutes = max(1, math.ceil(attempt.retry_after / 60))
            return page(
                "login.html",
                None,
                status_code=429,
                next=target,
                username=data.username,
                error=TOO_MANY_LOGINS.format(
                    minutes=minutes, unit="minuut" if minutes == 1 else "minuten"
                ),
                headers={"Retry-After": str(math.ceil(attempt.retry_after))},
            )
        token = await log_in(data.username, data.password)
        if token is None:
            return page(
                "login.html",
                None,
                status_code=401,
                next=target,
                username=data.username,
                error=WRONG_LOGIN,
            )
        await throttle.succeeded(attempt)
        response = Redirect(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response


class PageController(Controller):
    guards = [require_login]

    @get("/")
    async def dashboard(self, viewer: Viewer) -> Template:
        return page("dashboard.html", viewer, **await views.dashboard(viewer))

    @get("/overdrachten/{handover_id:uuid}")
    async def handover(
        self,
        viewer: Viewer,
        handover_id: HandoverId,
        saved: Annotated[str | None, QueryParameter(name="opgeslagen", required=False)] = None,
    ) -> Template:
        context = await views.handover_page(viewer, handover_id)
        return page("handover.html", viewer, saved=bool(saved), **context)

    @get("/overdrachten/{handover_id:uuid}/medewerkers/{staff_id:uuid}/inzage")
    async def personal_data(
        self,
        viewer: Viewer,
        handover_id: HandoverId,
        staff_id: Annotated[UUID, PathParameter(description="The staff transfer's id.")],
    ) -> Template:
        context = await views.personal_data_page(viewer, handover_id, staff_id)
        return page("personal_data.html", viewer, **context)

    @post("/overdrachten/{handover_id:uuid}/medewerkers")
    async def upload_staff(
        self,
        viewer: Viewer,
        handover_id: HandoverId,
        data: Annotated[StaffUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Template:
        context = await views.handover_page(viewer, handover_id)
        if not context["can_upload"]:
            raise Forbidden("only HR of a party, registrars and admins may load staff files")
        content = await data.file.read()
        try:
            report = await import_staff(
                handover_id,
                content,
                data.file.filename or "upload",
                skip_invalid=bool(data.skip_invalid),
                actor=viewer.actor,
            )
        except DomainError as error:
            return page(
                "handover.html", viewer, status_code=400, upload_error=error.detail, **context
            )
        context = await views.handover_page(viewer, handover_id)
        status = 400 if report.problems and not report.written else 200
        return page("handover.html", viewer, status_code=status, report=report, **context)

    @get("/gemeenten/{code:str}")
    async def municipality(
        self,
        viewer: Viewer,
        code: Annotated[str, PathParameter(description="CBS code, e.g. GM0014.")],
        op: Annotated[date | None, QueryParameter(required=False)] = None,
    ) -> Template:
        return page(
            "municipality.html",
            viewer,
            **await views.municipality_page(viewer, code, op or today()),
        )

    @get("/diensten/{service_id:uuid}")
    async def service(
        self,
        viewer: Viewer,
        service_id: Annotated[UUID, PathParameter(description="The service's id.")],
        op: Annotated[date | None, QueryParameter(required=False)] = None,
        saved: Annotated[str | None, QueryParameter(name="opgeslagen", required=False)] = None,
    ) -> Template:
        context = await service_view.service_page(viewer, service_id, op or today())
        return page("service.html", viewer, saved=bool(saved), **context)

    @post("/uitloggen", status_code=303)
    async def logout(self, request: Request) -> Redirect:
        await log_out(request.cookies.get(SESSION_COOKIE))
        response = Redirect("/inloggen", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


# --- errors on pages: a page in Dutch, not problem+json ------------------------------------


def _viewer_of(request: Request) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def login_redirect(_: Request, error: LoginRequired) -> Response:
    return Redirect(login_url(error.next_path), status_code=303)


#: What a person can do about each kind of refusal; the domain's own reason is shown too.
EXPLANATIONS = {
    400: "Een gegeven in het adres of het formulier klopt niet.",
    403: "U hebt geen toegang tot deze gegevens met de rol en organisaties van uw account.",
    404: "Dit gegeven staat niet (meer) in het register.",
    409: "Dit botst met wat al in het register staat.",
}


def domain_error_page(request: Request, error: DomainError) -> Response:
    return page(
        "error.html",
        _viewer_of(request),
        status_code=status_of(error),
        title=error.title,
        detail=EXPLANATIONS.get(status_of(error), error.title),
        reason=error.detail,
    )


ERROR_TITLES = TITLES | {413: FileTooLarge.title}


def http_error_page(request: Request, error: HTTPException) -> Response:
    status = error.status_code
    detail = str(error.detail)
    if status == 403 and "CSRF" in detail:
        detail = "Het formulier is verlopen of niet van deze site. Laad de pagina opnieuw."
    return page(
        "error.html",
        _viewer_of(request),
        status_code=status,
        title=ERROR_TITLES.get(status, "Er ging iets mis"),
        detail=detail,
    )


def validation_error_page(request: Request, _: ValidationException) -> Response:
    return page(
        "error.html",
        _viewer_of(request),
        status_code=400,
        title=ERROR_TITLES[400],
        detail="Een waarde in het adres of het formulier klopt niet, "
        "bijvoorbeeld een datum die niet als JJJJ-MM-DD bestaat.",
    )


PAGE_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    LoginRequired: login_redirect,
    DomainError: domain_error_page,
    ValidationException: validation_error_page,
    HTTPException: http_error_page,
}
