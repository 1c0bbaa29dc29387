"""Session login on the pages: redirects, Dutch errors, CSRF, logout."""

from __future__ import annotations

from piccolo.apps.user.tables import BaseUser

from tests.web.conftest import PASSWORD, csrf_from, log_in

WRONG = "Gebruikersnaam of wachtwoord onjuist."


async def test_a_page_without_login_redirects_to_the_login_form(anonymous) -> None:
    response = await anonymous.get("/gemeenten/GM0014?op=2022-01-01", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/inloggen?next=/gemeenten/GM0014%3Fop%3D2022-01-01"
    dashboard = await anonymous.get("/", follow_redirects=False)
    assert dashboard.headers["location"] == "/inloggen?next=/"


async def test_login_form_is_a_dutch_form_with_labels_and_a_csrf_token(anonymous) -> None:
    response = await anonymous.get("/inloggen?next=/overdrachten")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="nl">' in html
    assert '<label for="username">Gebruikersnaam</label>' in html
    assert '<label for="password">Wachtwoord</label>' in html
    assert 'name="next" value="/overdrachten"' in html
    assert csrf_from(html)
    assert 'href="#inhoud"' in html  # the skip link


async def test_a_wrong_password_and_an_unknown_user_get_the_same_dutch_answer(
    anonymous, people
) -> None:
    wrong_password = await log_in(anonymous, people["hr"], "not the password")
    unknown_user = await log_in(anonymous, "nobody-here", PASSWORD)
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        assert WRONG in response.text
        assert "id=" not in response.headers.get("set-cookie", "")
    assert wrong_password.text.count(WRONG) == unknown_user.text.count(WRONG) == 1
    assert f'value="{people["hr"]}"' in wrong_password.text  # the username is kept


async def test_a_login_without_the_csrf_token_is_refused(anonymous, people) -> None:
    await anonymous.get("/inloggen")  # the CSRF cookie is set, but the form field is missing
    response = await anonymous.post(
        "/inloggen",
        data={"username": people["hr"], "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "id=" not in response.headers.get("set-cookie", "")
    forged = await anonymous.post(
        "/inloggen",
        data={"username": people["hr"], "password": PASSWORD, "_csrf_token": "forged" * 20},
        follow_redirects=False,
    )
    assert forged.status_code == 403


async def test_a_login_with_the_token_sets_an_httponly_lax_session_cookie(anonymous, people):
    response = await log_in(anonymous, people["management"])
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("id=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie.replace("samesite", "SameSite")
    page = await anonymous.get("/", follow_redirects=False)
    assert page.status_code == 200
    assert people["management"] in page.text


async def test_next_leads_back_to_the_page_but_never_off_the_site(anonymous, people) -> None:
    form = await anonymous.get("/inloggen")
    for target, expected in [("/gemeenten/GM0014", "/gemeenten/GM0014"), ("//evil.example", "/")]:
        response = await anonymous.post(
            "/inloggen",
            data={
                "username": people["municipality"],
                "password": PASSWORD,
                "next": target,
                "_csrf_token": csrf_from(form.text),
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == expected


async def test_logout_ends_the_session_and_needs_the_csrf_token(anonymous, people) -> None:
    await log_in(anonymous, people["registrar"])
    page = await anonymous.get("/")
    refused = await anonymous.post("/uitloggen", follow_redirects=False)
    assert refused.status_code == 403
    response = await anonymous.post(
        "/uitloggen", data={"_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/inloggen"
    again = await anonymous.get("/", follow_redirects=False)
    assert again.status_code == 303


async def test_a_piccolo_user_without_a_role_cannot_log_in(anonymous, demo) -> None:
    await BaseUser.create_user(
        username="web-no-role", password=PASSWORD, email="no-role@example.invalid", active=True
    )
    response = await log_in(anonymous, "web-no-role")
    assert response.status_code == 401
    assert WRONG in response.text
