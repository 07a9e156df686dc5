"""The backorder question of ``button_validate``: ``stock.backorder.confirmation`` (3.7).

As in Odoo 17, the wizard validates nothing by itself: ``process`` and
``process_cancel_backorder`` re-run ``button_validate`` on the pickings named by the
context key ``button_validate_picking_ids`` and simply return True without it.
"""

from __future__ import annotations

from typing import Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, m2o, o2m
from procurelink.adapters.odoo_sim.orm import Env, Hooks
from procurelink.adapters.odoo_sim.stock import button_validate

WIZARD = "stock.backorder.confirmation"
LINE = "stock.backorder.confirmation.line"

MODELS = [
    ModelSpec(
        WIZARD,
        "Backorder Confirmation",
        {
            "pick_ids": Field("many2many", "Pick", relation="stock.picking"),
            "show_transfers": Field("boolean", "Show Transfers"),
            "backorder_confirmation_line_ids": o2m(
                LINE, "backorder_confirmation_id", "Backorder Confirmation Lines"
            ),
        },
        rec_name="id",
    ),
    ModelSpec(
        LINE,
        "Backorder Confirmation Line",
        {
            "backorder_confirmation_id": m2o(WIZARD, "Immediate Transfer"),
            "picking_id": m2o("stock.picking", "Transfer"),
            "to_backorder": Field("boolean", "To Backorder"),
        },
        rec_name="id",
    ),
]


def _prepare_wizard(env: Env, vals: dict[str, Any]) -> None:
    # default_get: pick_ids from the action's context, one "to backorder" line per picking.
    if "pick_ids" not in vals:
        vals["pick_ids"] = [
            c[1] for c in env.context.get("default_pick_ids") or [] if c and c[0] == 4
        ]
    if "backorder_confirmation_line_ids" not in vals:
        picks = vals["pick_ids"]
        ids = picks[0][2] if picks and isinstance(picks[0], list | tuple) else picks
        vals["backorder_confirmation_line_ids"] = [
            [0, 0, {"picking_id": i, "to_backorder": True}] for i in ids
        ]


def process(env: Env, model: str, ids: list[int]) -> Any:
    to_validate = env.context.get("button_validate_picking_ids")
    if not to_validate:
        return True  # the silent no-op of pitfall 6
    not_to_do = [
        line["picking_id"]
        for wizard_id in ids
        for line in _lines(env, wizard_id)
        if not line.get("to_backorder")
    ]
    ctx: dict[str, Any] = {"skip_backorder": True}
    if not_to_do:
        ctx["picking_ids_not_to_backorder"] = not_to_do
    return button_validate(env.with_context(**ctx), "stock.picking", list(to_validate))


def process_cancel_backorder(env: Env, model: str, ids: list[int]) -> Any:
    to_validate = env.context.get("button_validate_picking_ids")
    if not to_validate:
        return True
    picks = [p for wizard_id in ids for p in env.row(WIZARD, wizard_id).get("pick_ids") or []]
    child = env.with_context(skip_backorder=True, picking_ids_not_to_backorder=picks)
    return button_validate(child, "stock.picking", list(to_validate))


def _lines(env: Env, wizard_id: int) -> list[dict[str, Any]]:
    return [
        env.row(LINE, i) for i in env.search(LINE, [("backorder_confirmation_id", "=", wizard_id)])
    ]


HOOKS = {WIZARD: Hooks(prepare_create=_prepare_wizard)}
METHODS = {"process": process, "process_cancel_backorder": process_cancel_backorder}
