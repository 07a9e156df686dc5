"""Demo suppliers that answer purchase orders the way real ones do.

* Steelworks speaks X12 through a directory drop: it picks up 850s from the folder procurelink
  writes to and drops an 855 into the folder procurelink polls. It moves one line by a day,
  inside its tolerance, so the acknowledgment is applied to Odoo automatically.
* Fastener Direct pushes CSV spreadsheets to procurelink's embedded SFTP server and accepts
  every line as ordered.
* Polymer Parts speaks JSON over HTTP: procurelink POSTs the order to its webhook, and it
  POSTs an acknowledgment back to procurelink's API, signed with the shared secret. It pushes
  a line date ten days out, beyond its tolerance, so a buyer has to approve it.

The e-mail supplier (``mail_supplier``) and the AS2 supplier (``as2_supplier``) have their
own modules.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncssh
import httpx
from fastapi import FastAPI, HTTPException, Request

from procurelink.codecs.json_api.codec import JsonCodec
from procurelink.codecs.x12.codec import X12Codec
from procurelink.domain.order import PurchaseOrder
from procurelink.domain.response import LineStatus, OrderResponse, ResponseLine, ResponseStatus
from procurelink.domain.values import Money
from procurelink.ports.codec import DecodeContext, EncodeContext
from procurelink.security.webhooks import SignatureError, standard_headers, verify_standard


def acknowledge(
    order: PurchaseOrder, shift_line: str, shift_days: int, vendor_ref: str, response_id: str
) -> OrderResponse:
    """Accept every line, moving ``shift_line``'s date by ``shift_days``."""
    lines = []
    for ln in order.lines:
        moved = ln.line_no == shift_line and ln.requested_date is not None
        promised = (
            ln.requested_date + timedelta(days=shift_days)
            if moved and ln.requested_date
            else ln.requested_date
        )
        lines.append(
            ResponseLine(
                line_no=ln.line_no,
                status=LineStatus.RESCHEDULED if moved else LineStatus.ACCEPTED,
                item=ln.item,
                ordered_qty=ln.quantity,
                confirmed_qty=ln.quantity,
                unit_price=ln.unit_price if isinstance(ln.unit_price, Money) else None,
                promised_date=promised,
                note="rolling mill slot moved" if moved else None,
            )
        )
    return OrderResponse(
        document_id=response_id,
        partner_id=order.partner_id,
        correlation_id=order.correlation_id,
        order_number=order.order_number,
        vendor_ref=vendor_ref,
        response_number=response_id,
        response_date=datetime.now(UTC).date(),
        overall=ResponseStatus.ACCEPTED_WITH_CHANGES if shift_days else ResponseStatus.ACCEPTED,
        lines=tuple(lines),
    )


@dataclass
class X12DropSupplier:
    """The supplier's side of a directory exchange (our outbox is its pickup folder)."""

    partner_id: str
    pickup: Path  # where procurelink drops 850s
    drop: Path  # where procurelink picks up 855s
    shift_days: int
    log: Callable[[str], None]
    codec: X12Codec = field(default_factory=X12Codec)
    counter: int = 500

    async def round(self) -> int:
        """Answer every 850 waiting in the pickup folder; returns how many."""
        return await asyncio.to_thread(self._round)

    def _round(self) -> int:
        if not self.pickup.is_dir():
            return 0
        answered = 0
        for path in sorted(self.pickup.glob("*.x12")):
            ctx = DecodeContext(
                partner_id=self.partner_id, correlation_id="supplier-side", message_id=path.name
            )
            for doc in self.codec.decode(path.read_bytes(), ctx):
                if not isinstance(doc, PurchaseOrder):
                    continue
                self.counter += 1
                ack = acknowledge(
                    doc,
                    "2",
                    self.shift_days,
                    f"SO-{77800 + self.counter}",
                    f"855-{doc.order_number}",
                )
                encoded = self.codec.encode(
                    ack,
                    EncodeContext(
                        partner_id=self.partner_id,
                        correlation_id="supplier-side",
                        now=datetime.now(UTC),
                        interchange_control_number=self.counter,
                        group_control_number=self.counter,
                        options={
                            "sender_qualifier": "ZZ",
                            "sender_id": "STEELWORKS",
                            "receiver_qualifier": "ZZ",
                            "receiver_id": "ACMEMFG",
                        },
                    ),
                )
                self.drop.mkdir(parents=True, exist_ok=True)
                tmp = self.drop / f".{encoded.filename}.part"
                tmp.write_bytes(encoded.body)
                os.replace(tmp, self.drop / encoded.filename)
                self.log(f"[steelworks] got {path.name}, answered with {encoded.filename}")
                answered += 1
            archive = self.pickup / "fetched"
            archive.mkdir(exist_ok=True)
            os.replace(path, archive / path.name)
        return answered


@dataclass
class JsonHttpSupplier:
    """A supplier system with a webhook endpoint that answers through procurelink's API."""

    partner_id: str
    secret: str
    shift_days: int
    log: Callable[[str], None]
    api_url: str = ""  # procurelink's base URL, set once the API listens
    pending: list[PurchaseOrder] = field(default_factory=list)
    codec: JsonCodec = field(default_factory=JsonCodec)

    def app(self) -> FastAPI:
        app = FastAPI(title="Polymer Parts order intake (demo)")

        @app.post("/orders")
        async def receive_order(
            request: Request,
        ) -> dict[str, str]:
            body = await request.body()
            try:
                webhook_id = verify_standard(self.secret, body, request.headers)
            except SignatureError as exc:
                raise HTTPException(401, str(exc)) from exc
            ctx = DecodeContext(
                partner_id=self.partner_id,
                correlation_id="supplier-side",
                message_id=webhook_id,
            )
            for doc in self.codec.decode(body, ctx):
                if isinstance(doc, PurchaseOrder):
                    self.pending.append(doc)
                    self.log(f"[polymer] webhook received {doc.order_number}")
            return {"status": "received"}

        return app

    async def round(self, client: httpx.AsyncClient) -> int:
        """POST an acknowledgment for every order received; returns how many."""
        sent = 0
        while self.pending:
            order = self.pending.pop(0)
            ack = acknowledge(
                order, "1", self.shift_days, f"PP-{order.order_number}", f"ack-{order.order_number}"
            )
            body = self.codec.encode(
                ack,
                EncodeContext(
                    partner_id=self.partner_id,
                    correlation_id=order.correlation_id,
                    now=datetime.now(UTC),
                ),
            ).body
            response = await client.post(
                f"{self.api_url}/api/v1/partners/{self.partner_id}/messages",
                content=body,
                headers={
                    "Content-Type": "application/json",
                    **standard_headers(self.secret, ack.document_id, body, datetime.now(UTC)),
                },
            )
            response.raise_for_status()
            self.log(
                f"[polymer] acknowledged {order.order_number} via API ({response.status_code})"
            )
            sent += 1
        return sent


@dataclass
class SftpCsvSupplier:
    """A long-tail supplier: fetches order CSVs from its home on procurelink's SFTP server and
    uploads an acknowledgment spreadsheet (accepting every line as ordered)."""

    partner_id: str
    port: int
    username: str
    password: str
    log: Callable[[str], None]

    async def round(self) -> int:
        async with (
            asyncssh.connect(
                "127.0.0.1",
                port=self.port,
                username=self.username,
                password=self.password,
                known_hosts=None,
                client_keys=None,
                agent_path=None,
            ) as conn,
            conn.start_sftp_client() as sftp,
        ):
            answered = 0
            for name in sorted(await sftp.listdir("out")):
                if not name.endswith(".csv"):
                    continue
                async with sftp.open(f"out/{name}", "rb") as fh:
                    data = await fh.read()
                text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
                ack = csv_acknowledgment(text)
                async with sftp.open(f"in/ACK_{name}", "wb") as fh:
                    await fh.write(ack.encode())
                await sftp.remove(f"out/{name}")
                self.log(f"[fastener] fetched {name} by SFTP, uploaded ACK_{name}")
                answered += 1
            return answered


def csv_acknowledgment(order_csv: str) -> str:
    """A spreadsheet accepting every line of an order spreadsheet as ordered."""
    rows = list(csv.DictReader(io.StringIO(order_csv), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    # The unit is echoed: a quantity without one would be read as pieces.
    writer.writerow(["Bestellung", "Pos", "Status", "Menge", "ME", "Termin"])
    for row in rows:
        writer.writerow(
            [row["Bestellung"], row["Pos"], "OK", row["Menge"], row["ME"], row["Termin"]]
        )
    return out.getvalue()
