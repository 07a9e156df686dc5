"""The simulator's warehouses follow their reception steps as Odoo 17's do (reference 4)."""

from __future__ import annotations

from typing import Any

import pytest

from procurelink.adapters.odoo_sim.server import create_app
from procurelink.adapters.odoo_sim.service import SimOdoo


@pytest.fixture
def sim() -> SimOdoo:
    odoo: SimOdoo = create_app().state.odoo
    return odoo


def kw(sim: SimOdoo, model: str, method: str, *args: Any, **kwargs: Any) -> Any:
    return sim.dispatch(
        "object", "execute_kw", ["procurelink", 2, "admin", model, method, list(args), kwargs]
    )


def _receipt_destination(sim: SimOdoo, warehouse: int) -> str:
    [wh] = kw(sim, "stock.warehouse", "read", [warehouse], fields=["in_type_id"])
    [ptype] = kw(
        sim,
        "stock.picking.type",
        "read",
        [wh["in_type_id"][0]],
        fields=["default_location_dest_id"],
    )
    return str(ptype["default_location_dest_id"][1])


def test_a_new_warehouse_gets_its_locations_and_operation_types(sim: SimOdoo) -> None:
    wid = kw(sim, "stock.warehouse", "create", {"name": "Werk 5", "code": "WH5"})
    [wh] = kw(
        sim,
        "stock.warehouse",
        "read",
        [wid],
        fields=["lot_stock_id", "wh_input_stock_loc_id", "wh_qc_stock_loc_id", "int_type_id"],
    )
    assert (wh["lot_stock_id"][1], wh["wh_input_stock_loc_id"][1]) == ("WH5/Stock", "WH5/Input")
    assert wh["wh_qc_stock_loc_id"][1] == "WH5/Quality Control"
    codes = kw(
        sim, "stock.picking.type", "search_read", [("warehouse_id", "=", wid)], fields=["code"]
    )
    # Odoo also makes pick and pack types (internal); the simulator the three it uses.
    assert {c["code"] for c in codes} == {"incoming", "internal", "outgoing"}
    assert _receipt_destination(sim, wid) == "WH5/Stock"  # one step by default
    inactive = kw(
        sim, "stock.location", "read", [wh["wh_input_stock_loc_id"][0]], fields=["active"]
    )
    assert inactive[0]["active"] is False


def test_changing_the_steps_moves_where_receipts_land(sim: SimOdoo) -> None:
    kw(sim, "stock.warehouse", "write", [1], {"reception_steps": "three_steps"})  # the seed's
    assert _receipt_destination(sim, 1) == "WH2/Input"
    [wh] = kw(sim, "stock.warehouse", "read", [1], fields=["wh_qc_stock_loc_id"])
    assert wh["wh_qc_stock_loc_id"][1] == "WH2/Quality Control"
    kw(sim, "stock.warehouse", "write", [1], {"reception_steps": "one_step"})
    assert _receipt_destination(sim, 1) == "WH2/Stock"
