"""Buyers sign in to the console with their Odoo login, over real HTTP against the Odoo
simulator (or the real Odoo of ODOO_URL): nothing of the console or the buyers' JSON without
a session, refusals audited without the password, CSRF on every POST, the signed-in login as
the approving actor, sign-out ending the session everywhere."""

from __future__ import annotations

import httpx
import pytest
from e2e_world import (
    BUYER_GROUPS,
    World,
    csrf_of,
    late_polymer_exception,
    new_odoo_user,
    odoo_groups,
    real_odoo,
    sign_in,
)

from procurelink import bootstrap
from procurelink.entrypoints.api.app import create_app
from procurelink.ports.records import AuditEntry, ExceptionStatus

SESSION = "procurelink_console"


async def _audit(world: World, action: str) -> list[AuditEntry]:
    async with world.runtime.deps.store.unit_of_work() as uow:
        return [a for a in await uow.audit.list() if a.action == action]


async def test_nothing_of_the_console_without_a_session(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, _, api = http_world
    _, supplier_key = await world.runtime.supplier_access.create_key("polymer")
    async with httpx.AsyncClient(base_url=api) as client:
        for path in ("/console", "/console/exceptions?status=all", "/console/orders/P00001"):
            page = await client.get(path, follow_redirects=False)
            assert page.status_code == 303, path
            assert page.headers["location"].startswith("/console/login?next=%2Fconsole"), path
        landing = await client.get("/", follow_redirects=True)
        assert landing.url.path == "/console/login"
        assert 'name="password" type="password"' in landing.text
        refused = await client.post("/console/exceptions/1/approve", follow_redirects=False)
        assert refused.status_code == 303
        assert refused.headers["location"].startswith("/console/login")
        assert (await client.post("/console/logout", follow_redirects=False)).status_code == 303
        assert (await client.get("/api/v1/exceptions")).status_code == 401
        with_supplier_key = await client.get(
            "/api/v1/exceptions", headers={"Authorization": f"Bearer {supplier_key}"}
        )
        assert with_supplier_key.status_code == 401
    async with httpx.AsyncClient(base_url=api, cookies={SESSION: "e30.e30.x"}) as forged:
        assert (await forged.get("/api/v1/exceptions")).status_code == 401
    async with httpx.AsyncClient(base_url=api) as client:
        assert (await client.get("/healthz")).status_code == 200
        # The supplier API is unchanged: the key still opens the supplier's own orders.
        mine = await client.get(
            "/api/v1/orders", headers={"Authorization": f"Bearer {supplier_key}"}
        )
        assert mine.status_code == 200


async def test_wrong_password_and_non_buyers_are_refused_and_audited(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, _, api = http_world
    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    clerk, clerk_password = await new_odoo_user(world.rpc, ("base.group_user",))
    async with httpx.AsyncClient(base_url=api) as client:
        wrong = await sign_in(client, buyer, "not-" + password)
        assert wrong.status_code == 401
        assert "Wrong login or password." in wrong.text
        unknown = await sign_in(client, "nobody-" + buyer, password)
        assert unknown.status_code == 401
        assert "Wrong login or password." in unknown.text
        not_a_buyer = await sign_in(client, clerk, clerk_password)
        assert not_a_buyer.status_code == 403
        assert "not in the Purchase group" in not_a_buyer.text
        assert SESSION not in client.cookies
        assert (await client.get("/api/v1/exceptions")).status_code == 401

    failed = await _audit(world, "console_sign_in_failed")
    reasons = {(a.subject, (a.after or {})["reason"]) for a in failed}
    assert reasons == {
        (f"login {buyer!r}", "bad_credentials"),
        (f"login {'nobody-' + buyer!r}", "bad_credentials"),
        (f"login {clerk!r}", "not_a_buyer"),
    }
    assert all(a.actor == "console" for a in failed)
    written = repr(await _audit(world, "console_sign_in_failed"))
    assert password not in written
    assert clerk_password not in written
    assert await _audit(world, "console_sign_in") == []


async def test_failed_sign_ins_slow_down_that_login(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, _, api = http_world
    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    other, other_password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    async with httpx.AsyncClient(base_url=api) as client:
        for _ in range(3):
            assert (await sign_in(client, buyer, "wrong")).status_code == 401
        # Now even the right password waits: the guesser cannot tell it was right.
        throttled = await sign_in(client, buyer, password)
        assert throttled.status_code == 429
        assert int(throttled.headers["retry-after"]) >= 1
        assert SESSION not in client.cookies
        # Another login is not slowed down by it.
        assert (await sign_in(client, other, other_password)).status_code == 303
    reasons = [(a.after or {})["reason"] for a in await _audit(world, "console_sign_in_failed")]
    assert reasons == ["bad_credentials"] * 3 + ["throttled"]


@pytest.fixture
def recheck_on_every_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCURELINK_CONSOLE_RECHECK_MINUTES", "0")


async def test_a_buyer_taken_out_of_the_purchase_group_loses_the_console(
    recheck_on_every_request: None,
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, _, api = http_world
    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    [uid] = await world.rpc.execute_kw("res.users", "search", [[["login", "=", buyer]]])
    async with httpx.AsyncClient(base_url=api) as client:
        assert (await sign_in(client, buyer, password)).status_code == 303
        assert (await client.get("/api/v1/exceptions")).status_code == 200
        field, employee = await odoo_groups(world.rpc, ("base.group_user",))
        await world.rpc.execute_kw("res.users", "write", [[uid], {field: [[6, 0, employee]]}])
        assert (await client.get("/api/v1/exceptions")).status_code == 401
        page = await client.get("/console", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/console/login")
        # Back in the group, the old cookie stays dead: the session was ended.
        _, buyers = await odoo_groups(world.rpc, BUYER_GROUPS)
        await world.rpc.execute_kw("res.users", "write", [[uid], {field: [[6, 0, buyers]]}])
        assert (await client.get("/api/v1/exceptions")).status_code == 401
    [revoked] = await _audit(world, "console_session_revoked")
    assert revoked.actor == f"buyer:{buyer}"


async def test_a_buyer_signs_in_approves_as_themselves_and_signs_out(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, received, api = http_world
    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    async with httpx.AsyncClient(base_url=api) as client:
        exception_id, name, _po = await late_polymer_exception(world, received, client)

        signed_in = await sign_in(client, buyer, password)
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/console"
        [cookie] = [
            c for c in signed_in.headers.get_list("set-cookie") if c.startswith(f"{SESSION}=")
        ]
        assert cookie.startswith(f"{SESSION}=")
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie
        assert "Path=/" in cookie
        [max_age] = [int(a.split("=")[1]) for a in cookie.split("; ") if a.startswith("Max-Age=")]
        assert 8 * 3600 - 60 < max_age <= 8 * 3600  # the session's end, less the sign-in time
        assert "Secure" not in cookie  # plain http here; https requests get Secure
        home = await client.get("/console")
        assert home.status_code == 200
        assert "1 open exception(s)" in home.text
        assert home.headers["cache-control"] == "no-store"
        assert home.headers["x-frame-options"] == "DENY"
        assert home.headers["content-security-policy"] == "frame-ancestors 'none'"
        listed = await client.get("/api/v1/exceptions")
        assert listed.status_code == 200
        assert [x["id"] for x in listed.json()] == [exception_id]
        assert (await client.get(f"/console/orders/{name}")).status_code == 200

        page = await client.get("/console/exceptions")
        token = csrf_of(page.text)
        url = f"/console/exceptions/{exception_id}/approve"
        assert (await client.post(url, data={})).status_code == 403
        assert (await client.post(url, data={"csrf_token": "0" * 64})).status_code == 403
        async with httpx.AsyncClient(base_url=api) as elsewhere:  # the same buyer, again
            assert (await sign_in(elsewhere, buyer, password)).status_code == 303
            other_token = csrf_of((await elsewhere.get("/console/exceptions")).text)
        assert other_token != token  # bound to its own session
        assert (await client.post(url, data={"csrf_token": other_token})).status_code == 403
        [still_open] = await world.runtime.queries.exceptions()
        assert still_open.id == exception_id

        # The form's actor field, if anyone sends one, is ignored: the session names the buyer.
        approved = await client.post(
            url, data={"csrf_token": token, "actor": "mallory"}, follow_redirects=False
        )
        assert approved.status_code == 303
        [done] = await world.runtime.queries.exceptions(status=ExceptionStatus.APPROVED)
        assert done.resolved_by == buyer
        view = await world.runtime.queries.order(name)
        assert view is not None
        [entry] = [a for a in view.audit if a.action == "exception_approved"]
        assert entry.actor == f"buyer:{buyer}"
        sign_ins = await _audit(world, "console_sign_in")
        assert [a.actor for a in sign_ins] == [f"buyer:{buyer}"] * 2

        session_cookie = client.cookies[SESSION]
        out = await client.post(
            "/console/logout", data={"csrf_token": token}, follow_redirects=False
        )
        assert out.status_code == 303
        assert out.headers["location"] == "/console/login"
        assert SESSION not in client.cookies
        assert (await client.get("/console", follow_redirects=False)).status_code == 303

    # The cookie copied before signing out opens nothing any more.
    async with httpx.AsyncClient(base_url=api, cookies={SESSION: session_cookie}) as replay:
        assert (await replay.get("/api/v1/exceptions")).status_code == 401
        assert (await replay.get("/console", follow_redirects=False)).status_code == 303
    [signed_out] = await _audit(world, "console_sign_out")
    assert signed_out.actor == f"buyer:{buyer}"


async def test_sign_in_returns_to_the_console_page_asked_for_never_elsewhere(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, _, api = http_world
    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    async with httpx.AsyncClient(base_url=api) as client:
        for wanted, landing in (
            ("/console/exceptions?status=all", "/console/exceptions?status=all"),
            ("//evil.example/console", "/console"),
            ("https://evil.example/", "/console"),
        ):
            client.cookies.clear()
            form = await client.get("/console/login", params={"next": wanted})
            answer = await client.post(
                "/console/login",
                data={
                    "login": buyer,
                    "password": password,
                    "csrf_token": csrf_of(form.text),
                    "next": wanted,
                },
                follow_redirects=False,
            )
            assert answer.status_code == 303
            assert answer.headers["location"] == landing
        # A sign-in form posted without its nonce cookie (another site's form) is refused.
        client.cookies.clear()
        form = await client.get("/console/login")
        token = csrf_of(form.text)
        client.cookies.clear()
        forged = await client.post(
            "/console/login",
            data={"login": buyer, "password": password, "csrf_token": token},
            follow_redirects=False,
        )
        assert forged.status_code == 403
        assert SESSION not in client.cookies


@pytest.mark.skipif(real_odoo() is not None, reason="the simulator's seeded buyer")
async def test_the_demo_buyer_of_the_simulator_signs_in(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    _, _, api = http_world
    login, password = bootstrap.odoo_simulator_buyer()
    async with httpx.AsyncClient(base_url=api) as client:
        assert (await sign_in(client, login, password)).status_code == 303
        home = await client.get("/console")
        assert home.status_code == 200
        assert "Bea Buyer" in home.text


async def test_over_https_the_session_cookie_is_secure(
    http_world: tuple[World, list[httpx.Request], str],
) -> None:
    world, _, api = http_world
    # Behind a local TLS-terminating proxy: uvicorn takes the scheme from X-Forwarded-Proto.
    async with httpx.AsyncClient(base_url=api) as proxied:
        form = await proxied.get("/console/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in form.headers["set-cookie"]
        plain = await proxied.get("/console/login")
        assert "Secure" not in plain.headers["set-cookie"]
    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    transport = httpx.ASGITransport(app=create_app(world.runtime))
    async with httpx.AsyncClient(transport=transport, base_url="https://console.test") as client:
        answer = await sign_in(client, buyer, password)
        assert answer.status_code == 303
        [cookie] = [c for c in answer.headers.get_list("set-cookie") if c.startswith(f"{SESSION}=")]
        assert cookie.startswith(f"{SESSION}=")
        assert "Secure" in cookie
        assert (await client.get("/console")).status_code == 200
