"""`procurelink rfq create FILE.json`: planning requests -> draft RFQs in (simulated) Odoo."""

from __future__ import annotations

import json
import xmlrpc.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from procurelink.adapters.odoo_sim.server import create_app, running
from procurelink.entrypoints.cli.main import app

runner = CliRunner()
PROFILE = """\
id: acme-test
name: Test Supplier
odoo: {partner_id: 99}
codec: {type: json}
channels: {outbound: {type: directory, outbox: OUT}}
"""


@pytest.fixture
def odoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The seeded simulator (vendors, products, price lists, warehouse WH2) and settings."""
    partners = tmp_path / "partners"
    partners.mkdir()
    (partners / "t.yaml").write_text(PROFILE.replace("OUT", str(tmp_path / "out")))
    with running(create_app(seed=True, version="17.0")) as url:
        for name, value in {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
            "PARTNERS_DIR": str(partners),
            "ODOO_URL": url,
            "ODOO_DB": "procurelink",
            "ODOO_USER": "admin",
            "ODOO_PASSWORD": "admin",
        }.items():
            monkeypatch.setenv(f"PROCURELINK_{name}", value)
        yield url


def _rfqs(url: str, origin: str) -> list[dict[str, Any]]:
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
        "procurelink", "admin", "admin", {}
    )
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model: str, method: str, *args: Any, **kw: Any) -> Any:
        return models.execute_kw("procurelink", uid, "admin", model, method, list(args), kw)

    orders = call(
        "purchase.order",
        "search_read",
        [("origin", "=", origin)],
        fields=["partner_id", "state", "picking_type_id", "order_line"],
    )
    for order in orders:
        lines = call(
            "purchase.order.line", "read", order["order_line"], fields=["product_id", "product_qty"]
        )
        order["lines"] = sorted(
            (ln["product_id"][1].split("]")[0].strip("["), ln["product_qty"]) for ln in lines
        )
    return list(orders)


def test_requests_grouped_by_vendor_and_plant_into_draft_rfqs(odoo: str, tmp_path: Path) -> None:
    batch = {
        "batch_id": "mrp-run-7",
        "requests": [
            {
                "product_code": "ACME-10042",
                "quantity": "100",
                "need_date": "2025-06-03",
                "plant": "WH2",
            },
            {
                "product_code": "ACME-20117",
                "quantity": "50",
                "need_date": "2025-06-04",
                "plant": "WH2",
            },
            {
                "product_code": "ACME-10042",
                "quantity": "20",
                "need_date": "2025-06-01",
                "plant": "WH2",
            },
            {"product_code": "ACME-30210", "quantity": "10", "need_date": "2025-06-10"},
        ],
    }
    file = tmp_path / "requests.json"
    file.write_text(json.dumps(batch))
    first = runner.invoke(app, ["rfq", "create", str(file)])
    assert first.exit_code == 0, first.output
    rfqs = _rfqs(odoo, "planning:mrp-run-7")
    assert len(rfqs) == 3
    assert all(r["state"] == "draft" for r in rfqs)
    assert [(code, qty) for r in rfqs for code, qty in r["lines"]].count(("ACME-10042", 120)) == 1
    steel = next(r for r in rfqs if ("ACME-20117", 50) in r["lines"])
    bolts = next(r for r in rfqs if ("ACME-10042", 120) in r["lines"])
    housing = next(r for r in rfqs if ("ACME-30210", 10) in r["lines"])
    # Seeded vendors 4 Steelworks, 5 Polymer Parts, 6 Fastdirect. ACME-10042 is sold by
    # Steelworks (0.12) and Fastdirect (0.11) at the same sequence: the cheaper one wins.
    assert (steel["partner_id"][0], bolts["partner_id"][0], housing["partner_id"][0]) == (4, 6, 5)
    assert steel["picking_type_id"] == bolts["picking_type_id"]  # plant WH2

    again = runner.invoke(app, ["rfq", "create", str(file)])
    assert again.exit_code == 0, again.output
    assert again.output.count("created before") == 3
    assert len(_rfqs(odoo, "planning:mrp-run-7")) == 3

    batch["requests"][0]["quantity"] = "101"
    file.write_text(json.dumps(batch))
    changed = runner.invoke(app, ["rfq", "create", str(file)])
    assert changed.exit_code == 1
    assert "[batch_conflict] batch 'mrp-run-7' was already placed" in changed.output
    assert len(_rfqs(odoo, "planning:mrp-run-7")) == 3


def test_a_batch_with_an_unknown_product_creates_nothing_and_is_recorded(
    odoo: str, tmp_path: Path
) -> None:
    batch = {
        "batch_id": "mrp-run-8",
        "requests": [
            {"product_code": "ACME-10042", "quantity": "5", "need_date": "2025-06-03"},
            {
                "product_code": "NO-SUCH",
                "quantity": "5",
                "need_date": "2025-06-03",
                "reference": "PR-9",
            },
            {
                "product_code": "ACME-20117",
                "quantity": "5",
                "need_date": "2025-06-03",
                "plant": "XX",
            },
        ],
    }
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(batch))
    result = runner.invoke(app, ["rfq", "create", str(file)])
    assert result.exit_code == 1
    assert "unplaceable_requests" in result.output
    assert "request 2 (PR-9): no product with code 'NO-SUCH'" in result.output
    assert "no plant (warehouse) with code 'XX'" in result.output
    assert _rfqs(odoo, "planning:mrp-run-8") == []
    listed = runner.invoke(app, ["exceptions", "list"])
    assert "unplaceable_requests" in listed.output

    file.write_text('{"batch_id": "x", "requests": []}')
    invalid = runner.invoke(app, ["rfq", "create", str(file)])
    assert invalid.exit_code == 2
    assert "requests" in invalid.output
