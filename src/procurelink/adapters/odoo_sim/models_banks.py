"""Vendor bank accounts: res.bank and res.partner.bank (Odoo 17 field names, section 3.1).

Sensitive data: the simulator keeps Odoo's access rights on them (``access``: writing
needs Contact Creation), and procurelink reads the numbers into ``SecretStr``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from procurelink.adapters.odoo_sim.fields import Field, ModelSpec, Record, char, computed, m2o

if TYPE_CHECKING:
    from procurelink.adapters.odoo_sim.orm import Env

B = Field("boolean", "Active")


def _sanitized(env: Env, rec: Record) -> str:
    return "".join(ch for ch in str(rec.get("acc_number") or "") if ch.isalnum()).upper()


def _bank_attr(name: str) -> Any:
    def compute(env: Env, rec: Record) -> Any:
        bank = env.table("res.bank").get(rec.get("bank_id") or 0)
        return bank.get(name) if bank else None

    return compute


MODELS = [
    ModelSpec(
        "res.bank",
        "Bank",
        {"name": char("Name", required=True), "bic": char("Bank Identifier Code")},
        order="name",
    ),
    ModelSpec(
        # Sensitive (reference 3.1): the simulator keeps Odoo's ACL, write needs
        # base.group_partner_manager (``access``).
        "res.partner.bank",
        "Bank Accounts",
        {
            "acc_number": char("Account Number", required=True),
            "sanitized_acc_number": computed("char", "Sanitized Account Number", _sanitized),
            "acc_holder_name": char("Account Holder Name"),
            "partner_id": m2o("res.partner", "Account Holder", required=True),
            "bank_id": m2o("res.bank", "Bank"),
            "bank_name": computed("char", "Name", _bank_attr("name"), store=False),
            "bank_bic": computed("char", "Bank Identifier Code", _bank_attr("bic"), store=False),
            "currency_id": m2o("res.currency", "Currency"),
            "company_id": m2o("res.company", "Company"),
            "allow_out_payment": Field("boolean", "Send Money"),
            "sequence": Field("integer", "Sequence"),
            "active": B,
        },
        order="sequence, id",
        rec_name="acc_number",
        defaults={"active": True, "sequence": 10},
    ),
]
