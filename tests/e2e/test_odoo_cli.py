"""`procurelink odoo ...` against the seeded simulator: JSON out, bank numbers masked."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from procurelink.adapters.odoo_sim.orm import Env
from procurelink.adapters.odoo_sim.server import create_app, running
from procurelink.entrypoints.cli.main import app

runner = CliRunner()
IBAN = "DE02120300000000202051"
STEELWORKS = 4  # seeded vendor SW-V-88120 (adapters/odoo_sim docstring)


@pytest.fixture(scope="module")
def odoo_url() -> Iterator[str]:
    sim = create_app()
    Env(sim.state.odoo.store, 1).create(
        "res.partner.bank",
        {"partner_id": STEELWORKS, "acc_number": IBAN, "acc_holder_name": "Steelworks GmbH"},
    )
    with running(sim) as url:
        yield url


@pytest.fixture
def odoo_env(odoo_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROCURELINK_ODOO_URL", odoo_url)
    monkeypatch.setenv("PROCURELINK_ODOO_DB", "procurelink")
    monkeypatch.setenv("PROCURELINK_ODOO_USER", "admin")
    monkeypatch.setenv("PROCURELINK_ODOO_PASSWORD", "admin")


def _json(*args: str) -> object:
    result = runner.invoke(app, ["odoo", *args])
    assert result.exit_code == 0, result.output
    assert IBAN not in result.output and IBAN[-10:] not in result.output
    return json.loads(result.output)


@pytest.mark.usefixtures("odoo_env")
def test_vendors_print_masked_bank_accounts() -> None:
    [vendor] = _json("vendors", "--ref", "SW-V-88120")
    assert (vendor["odoo_id"], vendor["name"]) == (STEELWORKS, "Steelworks GmbH")
    [account] = vendor["bank_accounts"]
    assert account["number"] == "**********"
    assert account["holder"] == "Steelworks GmbH"


@pytest.mark.usefixtures("odoo_env")
def test_price_list_receipts_and_bills() -> None:
    prices = _json("price-list", str(STEELWORKS))
    codes = {p["line"]["item"]["supplier_item"] for p in prices}  # type: ignore[union-attr]
    assert codes == {"SW-ST-S235-2", "SW-RB-C45-40", "SW-SS-4301-15", "SW-HB-M10X40-ZN"}
    [receipt] = _json("receipts", "2")  # P00002 is confirmed: one open receipt
    assert (receipt["name"], receipt["state"]) == ("WH2/IN/00001", "assigned")  # type: ignore[index]
    assert _json("receipts", "2", "--done") == []
    assert _json("bills", "--order", "2") == []
    missing = runner.invoke(app, ["odoo", "bills"])
    assert missing.exit_code == 2
