"""856 ship notices: HL tree from parent pointers, SSCC checks, packages and items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from canonical_view import compare, despatch_view
from x12_support import decode_ctx, expected, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.domain.despatch import DespatchAdvice
from procurelink.errors import InvalidDocument, MalformedMessage

codec = X12Codec()
ASN_856 = sample("856_ASN-240320-01.x12").decode()
FACTS = {
    "sscc_1": "395200020000000010",
    "sscc_2": "395200020000000027",
}


def _asn(text: str = ASN_856) -> DespatchAdvice:
    [document] = codec.decode(text.encode(), decode_ctx())
    assert isinstance(document, DespatchAdvice)
    return document


def _replace(old: str, new: str, text: str = ASN_856) -> str:
    assert old in text
    return text.replace(old, new)


def test_856_decodes_to_the_expected_despatch_advice() -> None:
    assert compare(expected("despatch_advice_ASN-240320-01.json"), despatch_view(_asn())) == []


def test_856_syntax_specific_facts() -> None:
    asn = _asn()
    assert asn.ship_from is not None
    assert (asn.ship_from.id, asn.ship_from.name) == (
        "9520002000026",
        "Steelworks GmbH Lager Duisburg",
    )
    weights = {p.sscc: p.gross_weight for p in asn.packages}
    assert {k: (w.value, w.uom) for k, w in weights.items() if w} == {
        FACTS["sscc_1"]: (Decimal(190), "kg"),
        FACTS["sscc_2"]: (Decimal(1225), "kg"),
    }
    assert {p.package_type for p in asn.packages} == {"PLT94"}


def test_bare_18_digit_sscc_is_accepted() -> None:
    asn = _asn(_replace("MAN*GM*00395200020000000010", "MAN*GM*395200020000000010"))
    assert asn.packages[0].sscc == FACTS["sscc_1"]


@pytest.mark.parametrize("value", ["00395200020000000011", "0039520002000000001", "ABC"])
def test_bad_sscc(value: str) -> None:
    with pytest.raises(InvalidDocument) as caught:
        _asn(_replace("MAN*GM*00395200020000000010", f"MAN*GM*{value}"))
    assert caught.value.details["segment_id"] == "MAN"
    assert caught.value.details["element_index"] == 2


def test_tree_comes_from_parent_pointers_not_order() -> None:
    # Move pallet 2 (HL 6 and its item HL 7) before pallet 1: the tree is the same.
    start, end = ASN_856.index("HL*6*2*P*1"), ASN_856.index("CTT*")
    block = ASN_856[start:end]
    moved = ASN_856.replace(block, "").replace("HL*3*2*P*1", block + "HL*3*2*P*1")
    packages = {p.sscc: p for p in _asn(moved).packages}
    assert [i.lot for i in packages[FACTS["sscc_2"]].items] == ["H-778812"]
    assert [i.lot for i in packages[FACTS["sscc_1"]].items] == ["L240311-A", "L240312-B"]


def test_tare_level_is_the_parent_of_packs() -> None:
    text = _replace("HL*3*2*P*1~", "HL*8*2*T*1~\nMAN*GM*00395200020000000034~\nHL*3*8*P*1~")
    text = _replace("CTT*7*", "CTT*8*", text).replace("SE*34*", "SE*36*")
    asn = _asn(text)
    tare = next(p for p in asn.packages if p.sscc == "395200020000000034")
    pack = next(p for p in asn.packages if p.sscc == FACTS["sscc_1"])
    assert (tare.items, pack.parent_sscc) == ((), tare.sscc)


def test_items_without_pack_and_serials() -> None:
    # Structure 0004 (shipment/order/item): the items hang from the order directly.
    text = _replace("HL*4*3*I*0", "HL*4*2*I*0")
    text = _replace("LT*L240311-A~", "LT*L240311-A*SN*S-1~\nREF*SE*S-2~\nDTM*036*20250101~", text)
    text = text.replace("SE*34*", "SE*36*")
    asn = _asn(text)
    loose = asn.packages[-1]
    assert loose.sscc is None
    assert loose.items[0].serials == ("S-1", "S-2")
    assert str(loose.items[0].expiry_date) == "2025-01-01"


def test_unknown_parent_and_repeated_id() -> None:
    with pytest.raises(InvalidDocument) as caught:
        _asn(_replace("HL*7*6*I*0", "HL*7*9*I*0"))
    assert caught.value.details["element_index"] == 2
    with pytest.raises(InvalidDocument):
        _asn(_replace("HL*7*6*I*0", "HL*5*6*I*0"))


def test_ctt_counts_hl_segments_or_items() -> None:
    assert _asn(_replace("CTT*7*", "CTT*3*")).asn_number == "ASN-240320-01"
    with pytest.raises(MalformedMessage):
        _asn(_replace("CTT*7*", "CTT*5*"))


def test_ship_date_falls_back_to_bsn03() -> None:
    asn = _asn(_replace("DTM*011*20240320*1430~\n", "").replace("SE*34*", "SE*33*"))
    assert str(asn.ship_date) == "2024-03-20"
