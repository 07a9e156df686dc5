"""842 Nonconformance Report -> QualityResult.

Read from plants and suppliers that report an inspection finding. One set reports one
finding (the first item it names); the layout read here, which a partner's guide may move:

    BNR*<purpose>*<report number>*<date>*<time>
    REF*PO*<order number>  (or PRF*<order number> in an HL loop)
    HL loops, any depth, holding:
    LIN*<order line>*BP*...*VP*...*LT*<lot>     REF*LT*<lot>
    QTY*<qualifier>*<quantity>*<unit>           inspected / rejected, see QTY_QUALIFIERS
    NCD*<defect code>...                        one per defect
    NCA*<disposition>                           HO (hold) -> verdict hold
    NTE*<ref>*<text>  or  MSG*<text>            the note

Verdict: hold when a disposition says so, failed when anything was rejected or a defect is
named, passed otherwise.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from procurelink.codecs.x12.context import ReadContext
from procurelink.codecs.x12.elements import (
    Place,
    optional,
    required,
    required_date,
    time_of_day,
)
from procurelink.codecs.x12.envelope import TransactionSet
from procurelink.codecs.x12.lines import product_ids, read_item, read_quantity
from procurelink.codecs.x12.syntax import Segment
from procurelink.domain.receipt import QualityResult, QualityVerdict
from procurelink.errors import InvalidDocument

# QTY01 qualifiers (code list 673) read as inspected and as rejected quantities; a partner's
# own codes go in the ``qty_qualifiers_842`` option ({"inspected": [...], "rejected": [...]}).
QTY_QUALIFIERS = {"inspected": ("38", "IN", "QI"), "rejected": ("RJ", "77", "QR")}
_HOLD_DISPOSITIONS = ("HO", "HD")


def decode(ts: TransactionSet, ctx: ReadContext) -> QualityResult:
    place, body = ts.place, ts.body
    qualifiers = {**QTY_QUALIFIERS, **dict(ctx.options.get("qty_qualifiers_842") or {})}
    values: dict[str, Any] = {}
    defects: list[str] = []
    notes: list[str] = []
    hold = False
    bnr: Segment | None = None
    for segment in body:
        tag = segment.tag
        if tag == "BNR":
            bnr = segment
        elif (tag == "REF" and segment.get(1) == "PO") or tag == "PRF":
            values.setdefault("order_number", optional(segment, 2 if tag == "REF" else 1))
        elif tag == "REF" and segment.get(1) == "LT":
            values.setdefault("lot", optional(segment, 2))
        elif tag == "LIN" and "item" not in values:
            _read_lin(segment, values)
        elif tag == "QTY":
            _read_qty(place, ctx, segment, qualifiers, values)
        elif tag == "NCD" and segment.get(1):
            defects.append(segment.get(1))
        elif tag == "NCA":
            hold = hold or segment.get(1) in _HOLD_DISPOSITIONS
        elif tag in ("NTE", "MSG"):
            text = segment.get(2) if tag == "NTE" else segment.get(1)
            notes += [text] if text else []
    if bnr is None:
        raise place.error(
            InvalidDocument, "842 without BNR", expected="BNR", rule="missing_segment"
        )
    if not values.get("order_number"):
        raise place.error(
            InvalidDocument,
            "842 names no order (REF*PO or PRF)",
            expected="REF*PO",
            rule="missing_segment",
        )
    rejected = values.get("rejected_qty")
    if hold:
        verdict = QualityVerdict.HOLD
    elif defects or (rejected is not None and rejected.value > 0):
        verdict = QualityVerdict.FAILED
    else:
        verdict = QualityVerdict.PASSED
    day = required_date(place, bnr, 3)
    return QualityResult(
        **ctx.ids,
        **values,
        inspection_number=required(place, bnr, 2),
        verdict=verdict,
        defect_codes=tuple(defects),
        inspected_at=datetime.combine(day, time_of_day(place, bnr, 4) or time()),
        note=" ".join(notes) or None,
    )


def _read_lin(lin: Segment, values: dict[str, Any]) -> None:
    item = read_item(lin, 2)
    values["item"] = item if item.model_dump(exclude_none=True) else None
    values["order_line_no"] = optional(lin, 1)
    lot = product_ids(lin, 2).get("LT")
    if lot:
        values["lot"] = lot


def _read_qty(
    place: Place,
    ctx: ReadContext,
    qty: Segment,
    qualifiers: dict[str, Any],
    values: dict[str, Any],
) -> None:
    for name in ("inspected", "rejected"):
        if qty.get(1) in qualifiers[name]:
            values.setdefault(f"{name}_qty", read_quantity(place, ctx.units, qty, 2, 3))
