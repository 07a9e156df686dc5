"""The simulated database schema: every model, its business hooks and methods in one place."""

from __future__ import annotations

from procurelink.adapters.odoo_sim import (
    access,
    automation,
    backorder,
    mail,
    models_account,
    move_lines,
    products,
    purchase,
    reception,
    stock,
)
from procurelink.adapters.odoo_sim.fields import ModelSpec
from procurelink.adapters.odoo_sim.methods import Method, context_get
from procurelink.adapters.odoo_sim.models_banks import MODELS as BANK_MODELS
from procurelink.adapters.odoo_sim.models_base import MODELS as BASE_MODELS
from procurelink.adapters.odoo_sim.models_inventory import MODELS as INVENTORY_MODELS
from procurelink.adapters.odoo_sim.models_purchase import MODELS as PURCHASE_MODELS
from procurelink.adapters.odoo_sim.models_stock import MODELS as STOCK_MODELS
from procurelink.adapters.odoo_sim.orm import Hooks


def _by_name(*specs: ModelSpec) -> dict[str, ModelSpec]:
    # Model modules are written side by side: a model defined twice would silently lose one
    # definition's fields, so it is refused at import.
    out: dict[str, ModelSpec] = {}
    for spec in specs:
        if spec.name in out:
            raise RuntimeError(f"odoo simulator model {spec.name} is defined twice")
        out[spec.name] = spec
    return out


MODELS: dict[str, ModelSpec] = _by_name(
    *BASE_MODELS,
    *BANK_MODELS,
    *PURCHASE_MODELS,
    *STOCK_MODELS,
    *INVENTORY_MODELS,
    *mail.MODELS,
    *backorder.MODELS,
    *models_account.MODELS,
    *automation.MODELS,
    *access.MODELS,
)

HOOKS: dict[str, Hooks] = {
    **products.HOOKS,
    **purchase.HOOKS,
    **stock.HOOKS,
    **reception.HOOKS,
    **move_lines.HOOKS,
    **mail.HOOKS,
    **backorder.HOOKS,
    **models_account.HOOKS,
    **access.HOOKS,
}

METHODS: dict[str, dict[str, Method]] = {
    "purchase.order": {name: Method(fn) for name, fn in purchase.METHODS.items()},
    "stock.picking": {name: Method(fn) for name, fn in stock.METHODS.items()},
    "account.move": {name: Method(fn) for name, fn in models_account.METHODS.items()},
    backorder.WIZARD: {name: Method(fn) for name, fn in backorder.METHODS.items()},
    "res.users": {
        "context_get": Method(context_get, model_level=True, writes=False),
        "has_group": Method(access.has_group, writes=False),
    },
    "ir.model.data": {
        "check_object_reference": Method(
            access.check_object_reference, model_level=True, writes=False
        ),
    },
}
for _model in mail.THREAD_MODELS:
    METHODS.setdefault(_model, {})["message_post"] = Method(mail.message_post, returns_records=True)
