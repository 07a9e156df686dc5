"""Purchase requests from a planning engine (MRP/APS): what to buy, how much, by when, where.

procurelink turns a batch of them into draft RFQs in Odoo, one per vendor and plant.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date

from pydantic import Field

from procurelink.domain.values import Dec, Frozen


class PurchaseRequest(Frozen):
    product_code: str = Field(min_length=1, description="Odoo product default_code")
    quantity: Dec = Field(gt=0, description="in the product's purchase unit")
    need_date: date
    plant: str | None = Field(
        default=None, description="stock.warehouse code; None: Odoo's default receipt type"
    )
    vendor_ref: str | None = Field(
        default=None, description="res.partner ref of a vendor to buy from, else the best fit"
    )
    reference: str | None = Field(default=None, description="the planning engine's own id")


class PurchaseRequestBatch(Frozen):
    batch_id: str = Field(
        min_length=1, max_length=64, description="the same batch sent twice creates RFQs once"
    )
    requests: tuple[PurchaseRequest, ...] = Field(min_length=1)

    def fingerprint(self) -> str:
        """SHA-256 of what the batch asks for, to tell a replay from other content under the
        same batch id. Spelling does not count (key order, white space, "120" or "120.0",
        a null left out); the order of the requests does, as it would in any other body."""
        content = [
            {
                **r.model_dump(mode="json"),
                "quantity": format(r.quantity.normalize(), "f"),
            }
            for r in self.requests
        ]
        canonical = json.dumps(
            {"batch_id": self.batch_id, "requests": content}, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode()).hexdigest()
