"""Buyer directory contract: console sign-in checked against Odoo's users, on the simulator
(16-19, every transport) or a real Odoo.

A user's password goes to ``common.authenticate`` (over JSON-RPC when the integration client
speaks JSON-2, which has no password login); purchasing rights come from
``res.users.has_group`` asked by the integration user. Users are created by the admin with
unique logins.
"""

from __future__ import annotations

import uuid

import pytest
from odoo_contract import Fixture

from procurelink.adapters.odoo.buyers import OdooBuyerDirectory
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.errors import AuthenticationError, ErpError, NotPermitted


async def _user(make: Fixture, *groups: str, active: bool = True) -> tuple[str, str, int]:
    login = f"pl-console-{uuid.uuid4().hex[:8]}"
    password = f"Pw-{uuid.uuid4().hex[:12]}"
    uid = await make.user(f"Console {login[-8:]}", login, password, ("base.group_user", *groups))
    if not active:
        await make.call("res.users", "write", [uid], {"active": False})
    return login, password, int(uid)


async def test_a_purchase_user_is_a_buyer(make: Fixture, rpc: OdooRpc) -> None:
    login, password, uid = await _user(make, "purchase.group_purchase_user")
    me = await (await rpc.transport()).authenticate()
    buyer = await OdooBuyerDirectory(rpc).check(login, password)
    assert (buyer.login, buyer.name, buyer.erp_user_id) == (login, f"Console {login[-8:]}", uid)
    # The client is still the integration user: checking a buyer switched nothing.
    assert (await rpc.transport()).uid == me
    [row] = await rpc.execute_kw("res.users", "read", [[me]], {"fields": ["login"]})
    assert row["login"] != login


async def test_a_purchase_administrator_is_a_buyer(make: Fixture, rpc: OdooRpc) -> None:
    login, password, uid = await _user(make, "purchase.group_purchase_manager")
    assert (await OdooBuyerDirectory(rpc).check(login, password)).erp_user_id == uid


async def test_a_user_without_the_purchase_group_is_not(make: Fixture, rpc: OdooRpc) -> None:
    login, password, uid = await _user(make, "stock.group_stock_user")
    with pytest.raises(NotPermitted) as refused:
        await OdooBuyerDirectory(rpc).check(login, password)
    assert refused.value.details["erp_user_id"] == uid


async def test_wrong_passwords_unknown_and_archived_users_are_refused(
    make: Fixture, rpc: OdooRpc
) -> None:
    login, password, _ = await _user(make, "purchase.group_purchase_user")
    archived, archived_password, _ = await _user(make, "purchase.group_purchase_user", active=False)
    directory = OdooBuyerDirectory(rpc)
    for who, secret in (
        (login, password + "x"),
        (login, ""),
        ("no-such-" + login, password),
        (archived, archived_password),
    ):
        with pytest.raises(AuthenticationError) as refused:
            await directory.check(who, secret)
        assert not isinstance(refused.value, NotPermitted), who
        assert password not in repr(refused.value.details)


async def test_is_buyer_follows_the_group_and_the_archive(make: Fixture, rpc: OdooRpc) -> None:
    """Asked again while a console session lives: taken out of the Purchase group, or
    archived, the user is no longer a buyer; an unknown id never was."""
    directory = OdooBuyerDirectory(rpc)
    _login, _password, stays = await _user(make, "purchase.group_purchase_manager")
    _login, _password, demoted = await _user(make, "purchase.group_purchase_user")
    _login, _password, archived = await _user(make, "purchase.group_purchase_user")
    assert [await directory.is_buyer(u) for u in (stays, demoted, archived)] == [True] * 3
    field = "group_ids" if make.dialect.major >= 19 else "groups_id"
    await make.call(
        "res.users",
        "write",
        [demoted],
        {field: [[6, 0, await make.group_ids(("base.group_user",))]]},
    )
    await make.call("res.users", "write", [archived], {"active": False})
    [row] = await make.call("res.users", "search", [("id", "=", stays)])
    assert [await directory.is_buyer(u) for u in (stays, demoted, archived)] == [
        True,
        False,
        False,
    ]
    assert await directory.is_buyer(row + 10_000_000) is False


@pytest.mark.versions(16, 17)
async def test_has_group_answers_for_the_caller_only_before_18(make: Fixture) -> None:
    """Why 16/17 look the groups up instead: ``has_group`` is an ``api.model`` method there."""
    _login, _password, uid = await _user(make, "purchase.group_purchase_user")
    with pytest.raises(ErpError) as given_ids:
        await make.call("res.users", "has_group", [uid], "purchase.group_purchase_user")
    assert "has_group() takes 2 positional arguments but 3 were given" in given_ids.value.message
    model, gid = await make.call(
        "ir.model.data", "check_object_reference", "purchase", "group_purchase_user"
    )
    assert model == "res.groups"
    [row] = await make.call("res.users", "read", [uid], fields=["groups_id"])
    assert gid in row["groups_id"]
