"""Issue 14, row 5: guessing is braked per username *and* client address, with growing waits, in the database.

A third party guessing from its own address cannot lock the user out: the user, logging in from
elsewhere, gets in. Many usernames from one address are braked too. The brake is in the database,
so a second process of the web app sees it. Waiting is simulated by moving the stored times back
(no test sleeps for time to pass).
"""

from __future__ import annotations

import httpx

from admin.app import create_app
from admin.context import AppContext
from admin.services import Services
from admin.services.auth import ADDRESS_FREE, PAIR_FREE, Tokens
from runtime.config import Settings
from store.throttle import MAX_DELAY, delay_after
from tests.security.conftest import PASSWORD, Site, code_of, csrf_of

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


async def guess(http: httpx.AsyncClient, username: str, password: str = "wrong-guess") -> httpx.Response:
    return await http.post("/api/v1/auth/token", json={"username": username, "password": password})


async def time_passes(site: Site) -> None:
    """Every wait ends now (as if its time had passed)."""
    await site.pool.execute("UPDATE login_failures SET blocked_until = now()")


def test_the_waits_grow_from_one_second_to_fifteen_minutes() -> None:
    waits = [delay_after(n, 3).total_seconds() for n in range(1, 20)]
    assert waits[:3] == [0, 0, 0] and waits[3:7] == [1, 2, 4, 8]
    assert max(waits) == MAX_DELAY.total_seconds() and waits == sorted(waits)


async def test_a_guesser_is_braked_but_the_owner_logs_in_from_elsewhere(site: Site) -> None:
    await site.add_user("admin", "admin")
    async with site.client(ATTACKER) as attacker, site.client(OWNER) as owner:
        for _ in range(PAIR_FREE):
            assert (await guess(attacker, "admin")).status_code == 401
        first = await guess(attacker, "admin")
        assert first.status_code == 401  # counted: now the pair waits
        braked = await guess(attacker, "admin", PASSWORD)  # even the right password waits
        assert braked.status_code == 429 and code_of(braked) == "too_many_requests"
        assert int(braked.headers["Retry-After"]) >= 1
        assert (await guess(owner, "admin", PASSWORD)).status_code == 200  # the owner is not locked out
        retry_afters = []
        for _ in range(3):  # each further failure doubles the wait
            await time_passes(site)
            assert (await guess(attacker, "admin")).status_code == 401
            retry_afters.append(int((await guess(attacker, "admin")).headers["Retry-After"]))
        assert retry_afters == sorted(retry_afters) and retry_afters[-1] >= 4 * retry_afters[0]


async def test_many_usernames_from_one_address_are_braked(site: Site) -> None:
    async with site.client(ATTACKER) as attacker:
        for n in range(ADDRESS_FREE + 1):
            assert (await guess(attacker, f"user{n}")).status_code == 401
        braked = await guess(attacker, "someone-else")
        assert braked.status_code == 429


async def test_a_good_login_clears_its_own_pair_only(site: Site) -> None:
    await site.add_user("anna", "inspector")
    async with site.client(OWNER) as owner:
        for _ in range(PAIR_FREE):
            assert (await guess(owner, "anna")).status_code == 401
        assert (await guess(owner, "anna", PASSWORD)).status_code == 200
        for _ in range(PAIR_FREE):  # a fresh allowance after the good login
            assert (await guess(owner, "anna")).status_code == 401


async def test_the_brake_holds_across_processes(site: Site) -> None:
    """A second app over the same database (another worker process of the web server) sees the brake."""
    other = create_app(Settings(), context=AppContext(Services(site.pool, None, "none"), Tokens("other-secret")))
    async with site.client(ATTACKER) as attacker:
        for _ in range(PAIR_FREE + 1):
            await guess(attacker, "anna")
    transport = httpx.ASGITransport(app=other, client=(ATTACKER, 40001))
    async with (
        other.router.lifespan_context(other),
        httpx.AsyncClient(transport=transport, base_url="http://o") as http,
    ):
        assert (await guess(http, "anna")).status_code == 429


async def test_the_page_login_is_braked_like_the_api(site: Site) -> None:
    await site.add_user("anna", "inspector")
    async with site.client(ATTACKER) as attacker:
        for _ in range(PAIR_FREE + 1):
            await guess(attacker, "anna")
        form = await attacker.get("/login")
        page = await attacker.post(
            "/login", data={"username": "anna", "password": PASSWORD, "csrf_token": csrf_of(form.text), "next": "/"}
        )
        assert page.status_code == 429 and "Retry-After" in page.headers
