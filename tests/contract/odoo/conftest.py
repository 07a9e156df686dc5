"""Run the Odoo contract suite against the simulator, or a real Odoo when configured.

Simulator targets: Odoo 16, 17, 18 and 19, each over every transport it has (XML-RPC and
JSON-RPC everywhere, JSON-2 on 19); one simulator per version serves all its transports.
A test marked ``@pytest.mark.transports("jsonrpc")`` runs on those transports only.

Set ODOO_URL, ODOO_DB, ODOO_USER and ODOO_PASSWORD (a password or an API key) to target a
real database instead: its version is asked once and the suite runs over every transport
it has (JSON-2 needs ODOO_API_KEY as well). The tests then create their own vendor,
products and orders with unique names and never rely on seed data.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
import pytest
from odoo_contract import REAL, Fixture, Target

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.adapters.odoo_sim.server import ADMIN_API_KEY, create_app, running

SIM_VERSIONS = (16, 17, 18, 19)


def _protocols(major: int) -> tuple[str, ...]:
    return ("xmlrpc", "jsonrpc", "json2") if major >= 19 else ("xmlrpc", "jsonrpc")


def _real_major() -> int:
    payload = {"jsonrpc": "2.0", "method": "call", "id": 1}
    payload["params"] = {"service": "common", "method": "version", "args": []}
    answer = httpx.post(f"{os.environ['ODOO_URL'].rstrip('/')}/jsonrpc", json=payload, timeout=30)
    return int(answer.json()["result"]["server_version_info"][0])


def _targets() -> list[Target]:
    if REAL:
        major = _real_major()
        wanted = _protocols(major)
        if not os.environ.get("ODOO_API_KEY"):
            wanted = tuple(p for p in wanted if p != "json2")
        return [Target(major, p) for p in wanted]
    return [Target(v, p) for v in SIM_VERSIONS for p in _protocols(v)]


TARGETS = _targets()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "transports(*names): run only on these transports")
    config.addinivalue_line("markers", "versions(*majors): run only on these Odoo versions")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "target" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("transports")
    versions = metafunc.definition.get_closest_marker("versions")
    # Cases that do not apply to a target are not generated at all (never skipped).
    chosen = [
        t
        for t in TARGETS
        if (marker is None or t.protocol in marker.args)
        and (versions is None or t.major in versions.args)
    ]
    metafunc.parametrize(
        "target", chosen, ids=[t.id for t in chosen], indirect=True, scope="session"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A case with no applicable target (e.g. a 16-only case against a real 17) would be
    # reported as skipped ("got empty parameter set"); it is deselected instead: not
    # applicable to this target, and never counted as a test that ran or was skipped.
    empty = [
        item
        for item in items
        if any(
            str(m.kwargs.get("reason", "")).startswith("got empty parameter set")
            for m in item.iter_markers("skip")
        )
    ]
    if empty:
        config.hook.pytest_deselected(items=empty)
        items[:] = [item for item in items if item not in empty]


@dataclass
class Simulators:
    """One simulator per Odoo version, started on first use, shared by its transports."""

    stack: ExitStack
    urls: dict[int, str] = field(default_factory=dict)

    def url(self, major: int) -> str:
        if major not in self.urls:
            self.urls[major] = self.stack.enter_context(
                running(create_app(seed=False, version=f"{major}.0"))
            )
        return self.urls[major]


@pytest.fixture(scope="session")
def simulators() -> Iterator[Simulators]:
    with ExitStack() as stack:
        yield Simulators(stack)


@pytest.fixture(scope="session")
def target(request: pytest.FixtureRequest) -> Target:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def odoo_settings(target: Target, simulators: Simulators) -> OdooSettings:
    if REAL:
        return OdooSettings(
            url=os.environ["ODOO_URL"],
            db=os.environ["ODOO_DB"],
            user=os.environ["ODOO_USER"],
            password=os.environ["ODOO_PASSWORD"],
            api_key=os.environ.get("ODOO_API_KEY") if target.protocol == "json2" else None,
            timeout=60,
            protocol=target.protocol,  # type: ignore[arg-type]
        )
    return OdooSettings(
        url=simulators.url(target.major),
        db="procurelink",
        user="admin",
        # A password where one works; JSON-2 takes only API keys.
        password="admin",
        api_key=ADMIN_API_KEY if target.protocol == "json2" else None,
        timeout=10,
        protocol=target.protocol,  # type: ignore[arg-type]
        # The suite measures behaviour, not the limiter (tests/unit/adapters/odoo has that).
        max_calls_per_second=10_000,
    )


@pytest.fixture
async def rpc(odoo_settings: OdooSettings) -> AsyncIterator[OdooRpc]:
    client = OdooRpc(odoo_settings)
    yield client
    await client.aclose()


@pytest.fixture
async def gateway(odoo_settings: OdooSettings) -> AsyncIterator[OdooGateway]:
    gw = OdooGateway(odoo_settings)
    yield gw
    await gw.close()


@pytest.fixture
async def make(rpc: OdooRpc) -> Fixture:
    return Fixture(rpc, await rpc.dialect())
