"""Access rights contract: a limited integration user (Purchase / User, Inventory / User,
Invoicing / Billing; no settings, no administration) on the simulator or a real Odoo.

It reads everything ``ErpReads`` offers; Odoo refuses it system parameters, user and
company changes and bank-account writes with ``AccessError`` (XML-RPC fault 4, JSON-RPC
``odoo.exceptions.AccessError``) naming the groups that would be allowed. JSON-2 takes API
keys only, so these run over XML-RPC and JSON-RPC.
"""

from __future__ import annotations

import uuid
import xmlrpc.client
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from odoo_contract import Fixture, Target
from pydantic import SecretStr

from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.settings import OdooSettings
from procurelink.errors import ErpError

pytestmark = pytest.mark.transports("xmlrpc", "jsonrpc")
GROUPS = (
    "base.group_user",
    "purchase.group_purchase_user",
    "stock.group_stock_user",
    "account.group_account_invoice",
)
PASSWORD = "Integration-1x"


@pytest.fixture
async def integration(make: Fixture, odoo_settings: OdooSettings) -> AsyncIterator[OdooGateway]:
    """A gateway logged in as a fresh limited integration user (created by the admin)."""
    login = f"pl-integration-{uuid.uuid4().hex[:8]}"
    await make.user(f"procurelink integration {login[-8:]}", login, PASSWORD, GROUPS)
    limited = odoo_settings.model_copy(
        update={"user": login, "password": SecretStr(PASSWORD), "api_key": None}
    )
    gateway = OdooGateway(limited)
    yield gateway
    await gateway.close()


# 19 names a group "privilege/name", or by its bare name when it has no privilege.
GROUPS_19 = {
    "Administration/Settings": "Role / Administrator",
    "Administration/Access Rights": "Access Rights",
    "Extra Rights/Contact Creation": "Contact/Creation",
}


def _denied(exc: ErpError, head: str, *groups: str, major: int = 17) -> None:
    assert exc.details.get("odoo_error") == "AccessError"
    if major >= 19:
        groups = tuple(GROUPS_19.get(g, g) for g in groups)
    listed = "".join(f"\n\t- {g}" for g in groups)
    assert exc.message == (
        f"{head}\n\nThis operation is allowed for the following groups:{listed}"
        "\n\nContact your administrator to request access if necessary."
    )


async def test_integration_user_reads_what_it_needs(
    make: Fixture, integration: OdooGateway
) -> None:
    vendor, ref = await make.vendor()
    await make.call(
        "res.partner.bank",
        "create",
        {"partner_id": vendor, "acc_number": f"NL{uuid.uuid4().int % 10**12}"},
    )
    [found] = await integration.reads.vendors(refs=[ref])
    assert len(found.bank_accounts) == 1
    assert await integration.reads.plants()
    assert await integration.reads.units()
    assert await integration.reads.vendor_bills(vendor_odoo_id=vendor) == []
    assert (
        await integration.rpc.execute_kw("purchase.order", "search", [[]], {"limit": 1}) is not None
    )


async def test_integration_user_reads_the_three_way_facts_with_tax_rates(
    make: Fixture, integration: OdooGateway
) -> None:
    """The invoice match reads order lines and their taxes (account.tax) as this user."""
    vendor, _ = await make.vendor()
    product, _ = await make.product(vendor, vendor_code=None)
    order = await make.confirmed_order(vendor, [(product, 5)])
    [line] = await make.order_lines(order)
    field = make.dialect.line_taxes
    [row] = await make.call("purchase.order.line", "read", [line], fields=[field])
    rates = await make.call("account.tax", "read", row[field], fields=["amount"])
    [fact] = await integration.order_billing(order)
    assert (fact.odoo_line_id, fact.ordered) == (line, 5)
    assert fact.tax_rate == sum((Decimal(str(r["amount"])) for r in rates), Decimal(0))


async def test_integration_user_is_refused_settings_and_admin(
    make: Fixture, integration: OdooGateway, target: Target
) -> None:
    major = target.major
    rpc = integration.rpc
    with pytest.raises(ErpError) as read_params:
        await rpc.execute_kw("ir.config_parameter", "search_read", [[]], {"fields": ["key"]})
    _denied(
        read_params.value,
        "You are not allowed to access 'System Parameter' (ir.config_parameter) records.",
        "Administration/Settings",
        major=major,
    )
    with pytest.raises(ErpError) as new_param:
        await rpc.execute_kw("ir.config_parameter", "create", [{"key": "pl.x", "value": "1"}])
    _denied(
        new_param.value,
        "You are not allowed to create 'System Parameter' (ir.config_parameter) records.",
        "Administration/Settings",
        major=major,
    )
    # Its own name, yes (Odoo writes "self-writeable" fields as superuser); others', no.
    uid, admin = await rpc.authenticate(), await make.rpc.authenticate()
    assert await rpc.execute_kw("res.users", "write", [[uid], {"name": "PL integration"}])
    with pytest.raises(ErpError) as rename:
        await rpc.execute_kw("res.users", "write", [[admin], {"name": "root"}])
    _denied(
        rename.value,
        "You are not allowed to modify 'User' (res.users) records.",
        "Administration/Access Rights",
        major=major,
    )
    with pytest.raises(ErpError) as company:
        await rpc.execute_kw("res.company", "write", [[1], {"name": "Hijacked"}])
    _denied(
        company.value,
        "You are not allowed to modify 'Companies' (res.company) records.",
        "Administration/Access Rights",
        major=major,
    )
    vendor, _ = await make.vendor()
    with pytest.raises(ErpError) as bank:
        await rpc.execute_kw(
            "res.partner.bank", "create", [{"partner_id": vendor, "acc_number": "NL00FRAUD"}]
        )
    _denied(
        bank.value,
        "You are not allowed to create 'Bank Accounts' (res.partner.bank) records.",
        "Extra Rights/Contact Creation",
        major=major,
    )
    # Nothing was written by the refused calls.
    [still] = await make.call("res.company", "read", [1], fields=["name"])
    assert still["name"] != "Hijacked"
    assert await make.call("res.partner.bank", "search", [("acc_number", "=", "NL00FRAUD")]) == []


async def test_access_error_wire_shapes(make: Fixture, integration: OdooGateway) -> None:
    s = integration.rpc.settings
    uid = await integration.rpc.authenticate()
    args = (s.db, uid, PASSWORD, "ir.config_parameter", "search", [[]])
    async with httpx.AsyncClient(base_url=s.url, timeout=s.timeout) as client:
        body = xmlrpc.client.dumps(args, "execute_kw", allow_none=False)
        xml = await client.post("/xmlrpc/2/object", content=body.encode())
        payload: dict[str, Any] = {"jsonrpc": "2.0", "method": "call", "id": 7}
        payload["params"] = {"service": "object", "method": "execute_kw", "args": list(args)}
        json_rpc = await client.post("/jsonrpc", json=payload)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        xmlrpc.client.loads(xml.content)
    assert fault.value.faultCode == 4
    assert fault.value.faultString.startswith(
        "You are not allowed to access 'System Parameter' (ir.config_parameter) records."
    )
    error = json_rpc.json()["error"]
    assert error["data"]["name"] == "odoo.exceptions.AccessError"
    assert error["data"]["message"] == fault.value.faultString
    assert error["data"]["arguments"] == [fault.value.faultString]


async def test_passwords_never_read_back(make: Fixture, integration: OdooGateway) -> None:
    uid = await integration.rpc.authenticate()
    [user] = await make.call("res.users", "read", [uid], fields=["login", "password"])
    assert user["login"] == integration.rpc.settings.user
    assert user["password"] in ("", False)
