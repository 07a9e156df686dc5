"""The buyer's console in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from e2e_world import BUYER_GROUPS, POLYMER_SECRET, World, new_odoo_user, request_for
from playwright.async_api import Browser, async_playwright

from procurelink.codecs.json_api import JsonCodec
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.security.webhooks import standard_headers

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"BROWSER TESTS NOT RUN: {CHROMIUM} is missing (apt-get install chromium)")
    async with async_playwright() as pw:
        # The flags keep Chromium off the network it cannot reach here (closed machine).
        launched = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        await launched.close()


async def test_buyer_approves_an_exception_in_the_console(
    http_world: tuple[World, list[httpx.Request], str], browser: Browser, tmp_path: Path
) -> None:
    world, received, api = http_world
    po, name = await world.confirm_order("PP-V-20451", [("ACME-30210", 40)])
    await world.runtime.run_once()
    [order] = JsonCodec().decode(
        request_for(received, name).content, DecodeContext("polymer", "x", "m")
    )
    assert isinstance(order, PurchaseOrder)
    body = (
        JsonCodec()
        .encode(
            acknowledge(order, "1", 9, "PP-9", "ack-9"),
            EncodeContext("polymer", "c", datetime.now(UTC)),
        )
        .body
    )
    async with httpx.AsyncClient(base_url=api) as client:
        posted = await client.post(
            "/api/v1/partners/polymer/messages",
            content=body,
            headers=standard_headers(POLYMER_SECRET, "ack-9", body, datetime.now(UTC)),
        )
        assert posted.status_code == 202
    await world.runtime.run_once()

    buyer, password = await new_odoo_user(world.rpc, BUYER_GROUPS)
    page = await browser.new_page()
    await page.goto(f"{api}/console")
    # No session: the console sends the browser to its sign-in form first.
    assert page.url.startswith(f"{api}/console/login")
    await page.fill("input[name=login]", buyer)
    await page.fill("input[name=password]", "wrong")
    await page.click("button[name=sign_in]")
    assert "Wrong login or password." in await page.inner_text("main")
    await page.fill("input[name=login]", buyer)
    await page.fill("input[name=password]", password)
    await page.click("button[name=sign_in]")
    await page.wait_for_url(f"{api}/console")
    assert "1 open exception(s)" in await page.inner_text("main")
    await page.click("text=1 open exception(s)")
    row = page.locator("tr", has_text=name)
    assert "+9 days" in await row.inner_text()
    await row.get_by_role("button", name="Approve").click()
    await page.wait_for_url(f"{api}/console/exceptions")
    assert "Nothing here." in await page.inner_text("main")

    await page.goto(f"{api}/console/orders/{name}")
    heading = await page.inner_text("h1")
    assert "confirmed" in heading
    timeline = await page.inner_text("ol.timeline")
    assert "exception_approved" in timeline
    assert "acknowledgment_applied" in timeline
    # The approving actor is the signed-in Odoo login (in the entry's folded detail).
    assert f'"actor": "buyer:{buyer}"' in (await page.text_content("ol.timeline") or "")
    await page.screenshot(path=str(tmp_path / "order.png"))
    await page.click("button[name=logout]")
    await page.wait_for_url(f"{api}/console/login")
    await page.goto(f"{api}/console/exceptions")
    assert page.url.startswith(f"{api}/console/login")
    [line] = await world.odoo_lines(po)
    promised = order.lines[0].requested_date
    assert promised is not None
    assert line["date_planned"].startswith((promised + timedelta(days=9)).isoformat())
