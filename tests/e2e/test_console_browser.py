"""The buyer's console in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from e2e_world import BUYER_GROUPS, World, late_polymer_exception, new_odoo_user
from playwright.async_api import Browser, async_playwright

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
    async with httpx.AsyncClient(base_url=api) as client:
        _exception_id, name, po = await late_polymer_exception(world, received, client)

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
    view = await world.runtime.queries.order(name)
    assert view is not None
    promised = view.order.lines[0].original_date  # what the order asked before the ack
    assert promised is not None
    assert line["date_planned"].startswith((promised + timedelta(days=9)).isoformat())
