"""Issue 14, row 3: logins can be ended — logout, a password reset and deactivation end them server-side.

Real PostgreSQL and Temporal; the app over HTTP (API, pages) and the ``inspections`` CLI as a process.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.security.conftest import PASSWORD, Site, bearer, code_of, csrf_of

NEW_PASSWORD = "another-good-password"


async def test_api_logout_ends_that_token_only(site: Site) -> None:
    await site.add_user("anna", "inspector")
    first, second = await site.token("anna"), await site.token("anna")
    assert (await site.http.get("/api/v1/cases", headers=bearer(first))).status_code == 200
    out = await site.http.post("/api/v1/auth/logout", headers=bearer(first))
    assert out.status_code == 204
    after = await site.http.get("/api/v1/cases", headers=bearer(first))
    assert after.status_code == 401 and code_of(after) == "unauthorized"
    assert (await site.http.get("/api/v1/cases", headers=bearer(second))).status_code == 200  # the other stays


async def test_page_logout_kills_the_cookies_session(site: Site) -> None:
    await site.add_user("anna", "inspector")
    async with site.logged_in("anna") as browser:
        cookie = browser.cookies.get("inspections_session")
        page = await browser.get("/")
        assert page.status_code == 200
        out = await browser.post("/logout", data={"csrf_token": csrf_of(page.text)})
        assert out.status_code == 303
    async with site.client() as replay:  # the old cookie, kept by whoever copied it
        replay.cookies.set("inspections_session", cookie or "")
        again = await replay.get("/")
        assert again.status_code == 303 and again.headers["location"].startswith("/login")


async def test_a_password_reset_ends_every_token_and_session_at_once(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    await site.add_user("anna", "inspector")
    token = await site.token("anna")
    async with site.logged_in("anna") as browser:
        reset = await site.http.post(
            "/api/v1/users/anna/password", json={"password": NEW_PASSWORD}, headers=await site.as_("admin.one")
        )
        assert reset.status_code == 204
        assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401
        assert (await browser.get("/")).status_code == 303  # to the login form
    old = await site.http.post("/api/v1/auth/token", json={"username": "anna", "password": PASSWORD})
    assert old.status_code == 401
    assert await site.token("anna", NEW_PASSWORD)


async def test_deactivation_ends_every_login_and_reactivation_does_not_revive_them(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    await site.add_user("anna", "inspector")
    admin = await site.as_("admin.one")
    token = await site.token("anna")
    off = await site.http.post("/api/v1/users/anna/deactivate", headers=admin)
    assert off.status_code == 200 and off.json()["active"] is False
    assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401
    refused = await site.http.post("/api/v1/auth/token", json={"username": "anna", "password": PASSWORD})
    assert refused.status_code == 401
    on = await site.http.post("/api/v1/users/anna/reactivate", headers=admin)
    assert on.status_code == 200 and on.json()["active"] is True
    assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401  # stays ended
    assert (await site.http.get("/api/v1/cases", headers=await site.as_("anna"))).status_code == 200


async def test_only_an_admin_changes_accounts_and_an_unknown_user_is_404(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    await site.add_user("anna", "inspector")
    anna, admin = await site.as_("anna"), await site.as_("admin.one")
    assert (await site.http.post("/api/v1/users/admin.one/deactivate", headers=anna)).status_code == 403
    for path in ("deactivate", "reactivate"):
        missing = await site.http.post(f"/api/v1/users/nobody/{path}", headers=admin)
        assert missing.status_code == 404 and code_of(missing) == "not_found"
    missing = await site.http.post("/api/v1/users/nobody/password", json={"password": NEW_PASSWORD}, headers=admin)
    assert missing.status_code == 404
    short = await site.http.post("/api/v1/users/anna/password", json={"password": "short"}, headers=admin)
    assert short.status_code == 422 and short.json()["error"]["details"][0]["field"] == "password"
    assert (await site.http.get("/api/v1/cases", headers=anna)).status_code == 200  # a refused reset ends nothing


async def test_the_admin_page_deactivates_and_resets(site: Site) -> None:
    await site.add_user("admin.one", "admin")
    await site.add_user("anna", "inspector")
    token = await site.token("anna")
    async with site.logged_in("admin.one") as admin:
        page = await admin.get("/admin")
        assert "/admin/users/anna/deactivate" in page.text
        done = await admin.post("/admin/users/anna/deactivate", data={"csrf_token": csrf_of(page.text)})
        assert done.status_code == 303
        assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401
        page = await admin.get("/admin")
        await admin.post("/admin/users/anna/reactivate", data={"csrf_token": csrf_of(page.text)})
        token = await site.token("anna")
        page = await admin.get("/admin")
        reset = await admin.post(
            "/admin/users/anna/password", data={"csrf_token": csrf_of(page.text), "password": NEW_PASSWORD}
        )
        assert reset.status_code == 303
    assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401
    assert await site.token("anna", NEW_PASSWORD)


def inspections(site_env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    cli = os.path.join(os.path.dirname(sys.executable), "inspections")
    return subprocess.run([cli, *args], env=site_env, input=stdin, capture_output=True, text=True, timeout=60)


async def test_the_cli_deactivates_reactivates_and_resets(site: Site, pg_urls) -> None:  # type: ignore[no-untyped-def]
    await site.add_user("anna", "inspector")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTIONS_")}
    env.update(INSPECTIONS_DATABASE_URL=pg_urls.app_url, INSPECTIONS_DATABASE_OWNER_URL=pg_urls.owner_url)
    token = await site.token("anna")
    off = inspections(env, "users", "deactivate", "anna")
    assert off.returncode == 0, off.stderr
    assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401
    assert inspections(env, "users", "reactivate", "anna").returncode == 0
    token = await site.token("anna")
    reset = inspections(env, "users", "reset-password", "anna", "--password-stdin", stdin=NEW_PASSWORD + "\n")
    assert reset.returncode == 0, reset.stderr
    assert (await site.http.get("/api/v1/cases", headers=bearer(token))).status_code == 401
    assert await site.token("anna", NEW_PASSWORD)
    unknown = inspections(env, "users", "deactivate", "nobody")
    assert unknown.returncode == 1 and "nobody" in unknown.stderr and "Traceback" not in unknown.stderr
