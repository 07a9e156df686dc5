"""An EDIFACT supplier: ORDERS out through a directory, ORDRSP back, applied to Odoo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from e2e_world import World

from procurelink import bootstrap
from procurelink.codecs.edifact.codec import EdifactCodec
from procurelink.domain.events import DocumentReceived
from procurelink.domain.order import PurchaseOrder
from procurelink.entrypoints.demo.suppliers import acknowledge
from procurelink.ports.codec import DecodeContext, EncodeContext

PROFILE = """\
id: rheinguss
name: Rheinguss AG
odoo: {partner_ref: PP-V-20451}
identifiers: {gln: "9520003000018"}
codec: {type: edifact, options: {sender_id: "9520001000010", version: D01B}}
channels:
  outbound: {type: directory, outbox: "OUT"}
  inbound: {type: directory, inbox: "IN"}
tolerances: {date_shift_days: 2}
"""


async def test_orders_out_ordrsp_in(world: World, tmp_path: Path) -> None:
    out, inbox = tmp_path / "edi-out", tmp_path / "edi-in"
    # Reuse the world's runtime with an EDIFACT profile for the Polymer vendor.
    partners = world.runtime.settings.partners_dir
    (partners / "polymer.yaml").unlink()
    (partners / "rheinguss.yaml").write_text(
        PROFILE.replace("OUT", str(out)).replace("IN", str(inbox))
    )

    runtime = await bootstrap.build_runtime(world.runtime.settings)
    try:
        po, name = await world.confirm_order("PP-V-20451", [("ACME-30210", 40)])
        await runtime.run_once()
        [path] = list(out.glob(f"*{name}*"))
        text = path.read_text(encoding="latin-1")
        assert text.startswith("UNA:+.? '")
        assert "UNB+UNOC:3+9520001000010:14+9520003000018:14+" in text
        assert "UNH+1+ORDERS:D:01B:UN" in text
        codec = EdifactCodec()
        [order] = codec.decode(path.read_bytes(), DecodeContext("rheinguss", "c", "m"))
        assert isinstance(order, PurchaseOrder)
        assert order.order_number == name

        answer = acknowledge(order, "1", 2, "RG-5", "ORDRSP-1")
        encoded = codec.encode(
            answer,
            EncodeContext(
                "rheinguss",
                "c",
                datetime.now(UTC),
                77,
                77,
                {"sender_id": "9520003000018", "recipient_id": "9520001000010", "version": "D01B"},
            ),
        )
        inbox.mkdir(exist_ok=True)
        (inbox / encoded.filename).write_bytes(encoded.body)
        await runtime.run_once()

        [received] = [e for e in runtime.bus.published if isinstance(e, DocumentReceived)]
        assert received.order_number == name
        assert received.partner_id == "rheinguss"
        assert received.data["document_type"] == "order_response"
        view = await runtime.queries.order(name)
        assert view is not None
        assert view.order.state == "confirmed"
        assert view.order.vendor_ref == "RG-5"
        [line] = await world.odoo_lines(po)
        promised = order.lines[0].requested_date
        assert promised is not None
        assert line["date_planned"].startswith((promised + timedelta(days=2)).isoformat())
    finally:
        await runtime.close()
