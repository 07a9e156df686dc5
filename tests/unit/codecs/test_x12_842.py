"""842 nonconformance reports -> quality results."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from x12_support import decode_ctx, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.receipt import QualityResult, QualityVerdict

codec = X12Codec()
NCR = sample("842_NCR-24-0031.x12").decode()


def _result(text: str = NCR, **options: object) -> QualityResult:
    [document] = codec.decode(text.encode(), decode_ctx(**options))
    assert isinstance(document, QualityResult)
    return document


def test_842_decodes_to_a_failed_inspection() -> None:
    result = _result()
    assert (result.inspection_number, result.order_number, result.order_line_no) == (
        "NCR-24-0031",
        "PO00042",
        "1",
    )
    assert result.verdict == QualityVerdict.FAILED
    assert result.lot == "L240312-B"
    assert result.item is not None
    assert result.item.buyer_item == "ACME-10042"
    assert result.inspected_qty is not None
    assert result.rejected_qty is not None
    assert (result.inspected_qty.value, result.rejected_qty.value) == (Decimal(2000), Decimal(150))
    assert result.defect_codes == ("THREAD", "ZINC")
    assert result.inspected_at == datetime(2024, 3, 25, 10, 15)
    assert result.note == "150 bolts of lot L240312-B fail the thread gauge"


def test_hold_and_pass_verdicts() -> None:
    hold = NCR.replace("NTE*GEN*", "NCA*HO~\nNTE*GEN*").replace("SE*12*", "SE*13*")
    assert _result(hold).verdict == QualityVerdict.HOLD
    clean = NCR.replace("NCD*THREAD*Thread pitch out of tolerance~\n", "")
    clean = clean.replace("NCD*ZINC*Zinc coating below 8 um~\n", "")
    clean = clean.replace("QTY*RJ*150*EA", "QTY*RJ*0*EA").replace("SE*12*", "SE*10*")
    assert _result(clean).verdict == QualityVerdict.PASSED


def test_partner_quantity_qualifiers() -> None:
    text = NCR.replace("QTY*RJ*", "QTY*ZR*")
    assert _result(text).rejected_qty is None
    result = _result(text, qty_qualifiers_842={"rejected": ["ZR"]})
    assert result.rejected_qty is not None
