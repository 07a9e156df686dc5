"""Partner mapping differences live in the partner profile (YAML), not in code.

Two suppliers get the same canonical 850 / ORDERS: Steelworks with procurelink's defaults and
BoltCo with its own delivery-date qualifier, item id kinds (primary first), unit codes and
segments it does not want. The bytes differ exactly there; each partner's own input decodes to
the same canonical order.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from edifact_support import decode_one as edifact_decode_one
from edifact_support import sample as edifact_sample
from x12_support import sample as x12_sample

from procurelink.adapters.partners.yaml_directory import load_profiles
from procurelink.bootstrap import check_profile
from procurelink.codecs.edifact import EdifactCodec
from procurelink.codecs.x12 import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.parties import PartyRole
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.errors import ConfigurationError
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.services.dispatch import codec_options

STEELWORKS = """\
id: steelworks
name: Steelworks GmbH
odoo: {partner_id: 7}
identifiers: {x12: {qualifier: ZZ, id: STEELWORKS}, edifact: {qualifier: "14", id: "9520002000019"}}
codec: {type: CODEC, options: {sender_qualifier: ZZ, sender_id: "SENDER"}}
channels: {outbound: {type: directory, outbox: /tmp/out}}
"""
BOLTCO_X12 = """\
id: boltco
name: BoltCo
odoo: {partner_id: 8}
identifiers: {x12: {qualifier: ZZ, id: STEELWORKS}}
codec: {type: x12-004010, options: {sender_qualifier: ZZ, sender_id: ACMEMFG}}
channels: {outbound: {type: directory, outbox: /tmp/out}}
uom_map: {PC: unit}
mapping:
  delivery_date_qualifier: "010"
  item_ids: [VP, IN, UP]
  omit: [PER, "N1:ST"]
"""
BOLTCO_EDIFACT = """\
id: boltco
name: BoltCo
odoo: {partner_id: 8}
identifiers: {edifact: {qualifier: "14", id: "9520002000019"}}
codec: {type: edifact, options: {sender_id: "9520001000010"}}
channels: {outbound: {type: directory, outbox: /tmp/out}}
uom_map: {C62: unit}
mapping:
  delivery_date_qualifier: "64"
  item_ids: [SA, BP, EN]
  omit: [CTA, "NAD:DP"]
"""
NOW = datetime(2024, 3, 4, 9, 15)


def _profile(tmp_path: Path, text: str) -> PartnerProfile:
    folder = tmp_path / text.split("\n", 1)[0].split(": ")[1]
    folder.mkdir(parents=True)
    (folder / "partner.yaml").write_text(text)
    profiles, problems = load_profiles(folder, env={})
    assert problems == []
    [profile] = profiles
    return profile


def _steelworks(tmp_path: Path, codec: str) -> PartnerProfile:
    sender = "ACMEMFG" if codec == "x12-004010" else "9520001000010"
    return _profile(tmp_path, STEELWORKS.replace("CODEC", codec).replace("SENDER", sender))


def _encode_ctx(profile: PartnerProfile, control: int) -> EncodeContext:
    return EncodeContext(
        partner_id=profile.id,
        correlation_id="corr-1",
        now=NOW,
        interchange_control_number=control,
        group_control_number=control,
        options=codec_options(profile),
    )


def _decode_ctx(profile: PartnerProfile) -> DecodeContext:
    return DecodeContext(
        partner_id="p", correlation_id="corr-1", message_id="m", options=codec_options(profile)
    )


def _order_x12() -> PurchaseOrder:
    [order] = X12Codec().decode(
        x12_sample("850_PO00042.x12"),
        DecodeContext(partner_id="p", correlation_id="corr-1", message_id="m", options={}),
    )
    assert isinstance(order, PurchaseOrder)
    return order


def _as_read(document: object, expected: PurchaseOrder) -> PurchaseOrder:
    """``expected`` with the envelope ids ``document`` was read with (they name the file)."""
    assert isinstance(document, PurchaseOrder)
    ids = {"document_id": document.document_id, "partner_id": document.partner_id}
    return expected.model_copy(update=ids)


def _without(order: PurchaseOrder, role: PartyRole) -> PurchaseOrder:
    parties = tuple(p for p in order.parties if p.role != role)
    return order.model_copy(update={"parties": parties, "contact": None})


def test_x12_two_partners_get_different_bytes_from_one_order(tmp_path: Path) -> None:
    order = _order_x12()
    steelworks, boltco = _steelworks(tmp_path, "x12-004010"), _profile(tmp_path, BOLTCO_X12)
    codec = X12Codec()
    default = codec.encode(order, _encode_ctx(steelworks, 101)).body.decode()
    partner = codec.encode(order, _encode_ctx(boltco, 101)).body.decode()
    assert "PO1*1*5000*EA*0.12*PE*BP*ACME-10042*VP*SW-HB-M10X40-ZN*EN*9520002000101~" in default
    assert "PO1*1*5000*PC*0.12*PE*VP*SW-HB-M10X40-ZN*IN*ACME-10042*UP*9520002000101~" in partner
    assert "DTM*002*20240318~" in default and "DTM*002" not in partner
    assert "DTM*010*20240318~" in partner
    assert "PER*BD*Jane Miller" in default and "PER*" not in partner
    # The ship-to loop goes whole (N1, N3, N4); buyer and supplier stay.
    assert "N1*ST*" in default and "N3*Industriestrasse 5~" in default
    assert "N1*ST*" not in partner and "N3*" not in partner and "N4*" not in partner
    assert "N1*BY*" in partner and "N1*SU*" in partner
    # SE01 counts what was written: four segments fewer (PER, N1*ST, N3, N4).
    assert "SE*25*0001~" in default and "SE*21*0001~" in partner
    # Each partner's bytes read back with its own profile; BoltCo never got the contact and
    # the ship-to, so those are all its order lacks.
    [again] = codec.decode(partner.encode(), _decode_ctx(boltco))
    expected = _without(order, PartyRole.SHIP_TO)
    assert again == _as_read(again, expected)
    [again] = codec.decode(default.encode(), _decode_ctx(steelworks))
    assert again == _as_read(again, order)
    # Without BoltCo's profile its delivery dates are not delivery dates.
    [misread] = codec.decode(partner.encode(), _decode_ctx(steelworks))
    assert isinstance(misread, PurchaseOrder)
    assert [line.requested_date for line in misread.lines] == [None, None, None]
    assert [line.requested_date for line in order.lines] != [None, None, None]


def test_x12_partner_input_decodes_to_the_same_order(tmp_path: Path) -> None:
    """BoltCo's own 850 (its qualifier, kinds and units) is the sample order to procurelink."""
    boltco = _profile(tmp_path, BOLTCO_X12)
    text = x12_sample("850_PO00042.x12").decode()
    dialect = (
        text.replace("DTM*002*", "DTM*010*")
        .replace("***002*", "***010*")
        .replace("*EA*", "*PC*")
        .replace("*BP*", "*IN*")
    )
    assert dialect.count("DTM*010*") == 3 and "SCH*5000*PC***010*20240322~" in dialect
    [order] = X12Codec().decode(dialect.encode(), _decode_ctx(boltco))
    assert order == _as_read(order, _order_x12())


def _order_edifact() -> PurchaseOrder:
    order = edifact_decode_one(edifact_sample("ORDERS_PO00042.edi"))
    assert isinstance(order, PurchaseOrder)
    return order


def test_edifact_two_partners_get_different_bytes_from_one_order(tmp_path: Path) -> None:
    order = _order_edifact()
    steelworks, boltco = _steelworks(tmp_path, "edifact"), _profile(tmp_path, BOLTCO_EDIFACT)
    codec = EdifactCodec()
    default = codec.encode(order, _encode_ctx(steelworks, 101)).body.decode("latin-1")
    partner = codec.encode(order, _encode_ctx(boltco, 101)).body.decode("latin-1")
    assert "LIN+1++9520002000101:EN'\nPIA+1+ACME-10042:BP+SW-HB-M10X40-ZN:SA'" in default
    assert "LIN+1++SW-HB-M10X40-ZN:SA'\nPIA+1+ACME-10042:BP+9520002000101:EN'" in partner
    assert "QTY+21:5000:PCE'" in default and "QTY+21:5000:C62'" in partner
    assert "DTM+2:20240322:102'" in default and "DTM+64:20240322:102'" in partner
    assert "DTM+2:" not in partner
    assert "CTA+" in default and "COM+" in default
    assert "CTA+" not in partner and "COM+" not in partner
    assert "NAD+DP+" in default and "NAD+DP+" not in partner and "NAD+SU+" in partner
    [again] = codec.decode(partner.encode("latin-1"), _decode_ctx(boltco))
    expected = _without(order, PartyRole.SHIP_TO)
    assert again == _as_read(again, expected)
    [again] = codec.decode(default.encode("latin-1"), _decode_ctx(steelworks))
    assert again == _as_read(again, order)


def test_edifact_partner_input_decodes_to_the_same_order(tmp_path: Path) -> None:
    boltco = _profile(tmp_path, BOLTCO_EDIFACT)
    text = edifact_sample("ORDERS_PO00042.edi").decode("latin-1")
    dialect = text.replace("DTM+2:", "DTM+64:").replace(":PCE'", ":C62'")
    assert dialect.count("DTM+64:") == 4  # the heading and the three lines
    [order] = EdifactCodec().decode(dialect.encode("latin-1"), _decode_ctx(boltco))
    assert order == _as_read(order, _order_edifact())


@pytest.mark.parametrize(
    ("codec", "selector"), [(X12Codec(), "PO1"), (EdifactCodec(), "LIN"), (X12Codec(), "CTT")]
)
def test_structural_segments_cannot_be_omitted(codec: object, selector: str) -> None:
    order = _order_x12()
    options = {
        "sender_id": "9520001000010",
        "recipient_id": "9520002000019",
        "receiver_id": "STEELWORKS",
        "mapping": {"omit": [selector]},
    }
    ctx = EncodeContext(
        partner_id="p",
        correlation_id="c",
        now=NOW,
        interchange_control_number=1,
        group_control_number=1,
        options=options,
    )
    with pytest.raises(ConfigurationError, match="cannot be omitted") as caught:
        codec.encode(order, ctx)  # type: ignore[attr-defined]
    assert caught.value.details["found"] == selector


def test_a_profile_with_two_kinds_for_one_field_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BOLTCO_X12.replace("[VP, IN, UP]", "[VP, BP, IN]"))
    profiles, problems = load_profiles(tmp_path, env={})
    assert profiles == []
    assert "at most one kind each" in str(problems[0])


def test_partners_check_names_a_structural_omission(tmp_path: Path) -> None:
    profile = _profile(tmp_path, BOLTCO_X12.replace('omit: [PER, "N1:ST"]', "omit: [PER, CTT]"))
    assert check_profile(profile) == [
        "mapping: X12 segment CTT carries the document's structure and cannot be omitted (CTT)"
    ]
    assert check_profile(_profile(tmp_path / "edifact", BOLTCO_EDIFACT)) == []
