"""Session login for the web pages, on Piccolo's user and session tables.

The cookie is called ``id``, the name Piccolo Admin's session middleware reads, so one
login serves the pages and ``/admin/`` alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler
from piccolo.apps.user.tables import BaseUser
from piccolo_api.session_auth.tables import SessionsBase

from app.access.people import principal_for_user
from app.access.roles import Principal

SESSION_COOKIE = "id"
#: A session lasts this long since its last use (Piccolo extends it), at most a week.
SESSION_IDLE = timedelta(hours=1)
SESSION_EXTEND = timedelta(minutes=20)
SESSION_MAX = timedelta(days=7)
LOGIN_PATH = "/inloggen"


class LoginRequired(Exception):
    """The page needs a logged-in person; answered with a redirect to the login form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def login_url(next_path: str) -> str:
    return f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"


def safe_next(value: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    return value


async def log_in(username: str, password: str) -> str | None:
    """A new session token when the password is right and the person has a role."""
    user_id = await BaseUser.login(username, password)
    if user_id is None or await principal_for_user(user_id) is None:
        return None
    now = datetime.now()  # Piccolo's session table keeps naive local times
    session = await SessionsBase.create_session(
        user_id, expiry_date=now + SESSION_IDLE, max_expiry_date=now + SESSION_MAX
    )
    return str(session.token)


async def log_out(token: str | None) -> None:
    if token:
        await SessionsBase.remove_session(token)


async def session_principal(connection: ASGIConnection) -> Principal | None:
    token = connection.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    user_id = await SessionsBase.get_user_id(token, increase_expiry=SESSION_EXTEND)
    if user_id is None:
        return None
    return await principal_for_user(user_id)


async def require_login(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Guard on every page: the person behind the session cookie, or off to the login form."""
    principal = await session_principal(connection)
    if principal is None:
        target = connection.url.path
        if connection.url.query:
            target += "?" + connection.url.query
        raise LoginRequired(target)
    connection.scope["user"] = principal


def provide_viewer(request: ASGIConnection) -> Principal:
    return request.scope["user"]
