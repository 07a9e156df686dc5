"""Purchase requests grouped into RFQs: one per vendor and plant, one line per product.

The vendor is the one named in the request, else the best fit of the product's vendor price
list the way Odoo's ``_select_seller`` orders it: lowest sequence, then the largest minimum
quantity the request reaches, then the lowest price. A batch with any request that cannot
be placed is refused whole, naming every problem, so nothing is half-created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from procurelink.domain.purchase_request import PurchaseRequest
from procurelink.errors import InvalidDocument


class UnplaceableRequests(InvalidDocument):
    """Some purchase requests name no known product, plant or vendor."""

    code = "unplaceable_requests"


@dataclass(frozen=True, slots=True)
class VendorOffer:
    """One product.supplierinfo entry."""

    vendor_odoo_id: int
    sequence: int
    min_qty: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True)
class SourcingFacts:
    """What the ERP knows that placing requests needs."""

    products: Mapping[str, int]  # default_code -> product.product id
    offers: Mapping[str, Sequence[VendorOffer]]  # default_code -> its vendors
    plants: Mapping[str, int]  # warehouse code -> incoming picking type id
    vendors: Mapping[str, int]  # res.partner ref -> id


@dataclass(frozen=True, slots=True)
class RfqLinePlan:
    product_odoo_id: int
    product_code: str
    quantity: Decimal
    need_date: date  # the earliest of the merged requests
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RfqPlan:
    vendor_odoo_id: int
    plant: str | None
    picking_type_id: int | None
    lines: tuple[RfqLinePlan, ...]


def best_offer(offers: Sequence[VendorOffer], quantity: Decimal) -> VendorOffer | None:
    fitting = [o for o in offers if o.min_qty <= quantity]
    if not fitting:
        return None
    return min(fitting, key=lambda o: (o.sequence, -o.min_qty, o.price))


def plan_rfqs(requests: Sequence[PurchaseRequest], facts: SourcingFacts) -> list[RfqPlan]:
    """RFQs for ``requests``; raises UnplaceableRequests naming every request that fails.

    Requests for the same product and plant are merged before the vendor is chosen, so a
    vendor's minimum quantity is judged against what is bought in total.
    """
    problems: list[str] = []
    buckets: dict[tuple[str, str | None, str | None], list[PurchaseRequest]] = {}
    for n, req in enumerate(requests, start=1):
        where = f"request {n} ({req.reference or req.product_code})"
        if req.product_code not in facts.products:
            problems.append(f"{where}: no product with code {req.product_code!r}")
        elif req.plant is not None and req.plant not in facts.plants:
            problems.append(f"{where}: no plant (warehouse) with code {req.plant!r}")
        else:
            buckets.setdefault((req.product_code, req.plant, req.vendor_ref), []).append(req)
    groups: dict[tuple[int, str | None], dict[str, RfqLinePlan]] = {}
    for (code, plant, vendor_ref), reqs in buckets.items():
        line = _merged(code, reqs, facts)
        vendor = _vendor(code, vendor_ref, line.quantity, facts)
        if isinstance(vendor, str):
            problems.append(f"{code} for plant {plant or 'default'}: {vendor}")
            continue
        lines = groups.setdefault((vendor, plant), {})
        earlier = lines.get(code)
        lines[code] = line if earlier is None else _merged_lines(earlier, line)
    if problems:
        raise UnplaceableRequests("; ".join(problems), problems=len(problems))
    return [
        RfqPlan(
            vendor_odoo_id=vendor,
            plant=plant,
            picking_type_id=facts.plants[plant] if plant is not None else None,
            lines=tuple(lines.values()),
        )
        for (vendor, plant), lines in groups.items()
    ]


def _vendor(code: str, vendor_ref: str | None, qty: Decimal, facts: SourcingFacts) -> int | str:
    """The vendor's id, or why there is none."""
    if vendor_ref is not None:
        found = facts.vendors.get(vendor_ref)
        return found if found is not None else f"no vendor with reference {vendor_ref!r}"
    offer = best_offer(facts.offers.get(code, ()), qty)
    if offer is None:
        return f"no vendor sells it in a quantity of {qty}"
    return offer.vendor_odoo_id


def _merged(code: str, reqs: list[PurchaseRequest], facts: SourcingFacts) -> RfqLinePlan:
    return RfqLinePlan(
        product_odoo_id=facts.products[code],
        product_code=code,
        quantity=sum((r.quantity for r in reqs), Decimal(0)),
        need_date=min(r.need_date for r in reqs),
        references=tuple(r.reference for r in reqs if r.reference),
    )


def _merged_lines(a: RfqLinePlan, b: RfqLinePlan) -> RfqLinePlan:
    # The same product reaching one vendor by name and by price list: still one line.
    return RfqLinePlan(
        a.product_odoo_id,
        a.product_code,
        a.quantity + b.quantity,
        min(a.need_date, b.need_date),
        a.references + b.references,
    )
