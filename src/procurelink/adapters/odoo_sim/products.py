"""product.template / product.product: a template always has a variant, and back."""

from __future__ import annotations

from typing import Any

from procurelink.adapters.odoo_sim.models_base import PRODUCT_FIELDS
from procurelink.adapters.odoo_sim.orm import Env, Hooks


def _shared(vals: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in vals.items() if k in PRODUCT_FIELDS}


def _variant_defaults(env: Env, vals: dict[str, Any]) -> None:
    vals.setdefault("uom_po_id", vals.get("uom_id") or 1)
    if not vals.get("product_tmpl_id"):
        # Odoo creates products through their template (``_inherits``); the context flag
        # is Odoo's own way to keep the template from creating a second variant.
        child = env.with_context(create_product_product=False)
        vals["product_tmpl_id"] = child.create("product.template", _shared(vals))


def _template_defaults(env: Env, vals: dict[str, Any]) -> None:
    vals.setdefault("uom_po_id", vals.get("uom_id") or 1)


def _template_created(env: Env, tmpl_id: int) -> None:
    if env.context.get("create_product_product", True):
        template = env.row("product.template", tmpl_id)
        env.create(
            "product.product",
            {
                **{
                    k: template[k]
                    for k in PRODUCT_FIELDS
                    if k in template and PRODUCT_FIELDS[k].compute is None
                },
                "product_tmpl_id": tmpl_id,
            },
        )


def _supplierinfo_defaults(env: Env, vals: dict[str, Any]) -> None:
    if vals.get("product_id") and not vals.get("product_tmpl_id"):
        product = env.row("product.product", vals["product_id"])
        vals["product_tmpl_id"] = product["product_tmpl_id"]


HOOKS = {
    "product.product": Hooks(prepare_create=_variant_defaults),
    "product.template": Hooks(prepare_create=_template_defaults, after_create=_template_created),
    "product.supplierinfo": Hooks(prepare_create=_supplierinfo_defaults),
}
