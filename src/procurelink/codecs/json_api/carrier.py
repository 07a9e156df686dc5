"""Carrier milestone webhooks: each carrier's own JSON and status codes -> ShipmentEvent.

Options (partner profile ``codec.options``)::

    status_map: {PU: picked_up, IT: in_transit, DL: delayed, OK: delivered, EX: exception}
    fields: {tracking_number: trackingId, status: code, occurred_at: timestamp,
             new_eta: eta, location: place, note: remark, sscc: sscc}

A body is one event or a list of events. Unknown status codes are refused with the code named,
so a carrier adding a code shows up on the exception dashboard instead of being guessed.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from procurelink.domain.despatch import Carrier, ShipmentEvent, ShipmentStatus
from procurelink.domain.document import Document
from procurelink.errors import InvalidDate, InvalidDocument, MalformedMessage
from procurelink.ports.codec import DecodeContext, EncodeContext, Encoded

DEFAULT_FIELDS = {
    "tracking_number": "tracking_number",
    "sscc": "sscc",
    "status": "status",
    "occurred_at": "occurred_at",
    "new_eta": "new_eta",
    "location": "location",
    "note": "note",
}


class CarrierEventCodec:
    name = "carrier-json"
    encodes: frozenset[str] = frozenset()
    decodes = frozenset({"shipment_event"})

    def encode(self, document: Document, ctx: EncodeContext) -> Encoded:
        raise InvalidDocument("procurelink sends nothing to carriers")

    def decode(self, data: bytes, ctx: DecodeContext) -> list[Document]:
        try:
            body = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedMessage(f"carrier event is not JSON: {exc}") from exc
        events = body if isinstance(body, list) else [body]
        fields = {**DEFAULT_FIELDS, **dict(ctx.options.get("fields") or {})}
        status_map = {
            str(k): ShipmentStatus(v) for k, v in dict(ctx.options.get("status_map") or {}).items()
        }
        return [_event(raw, i, fields, status_map, ctx) for i, raw in enumerate(events)]


def _event(
    raw: Any,
    index: int,
    fields: dict[str, str],
    status_map: dict[str, ShipmentStatus],
    ctx: DecodeContext,
) -> ShipmentEvent:
    if not isinstance(raw, dict):
        raise InvalidDocument(f"event {index} is not an object", index=index)

    def get(name: str) -> str | None:
        value = raw.get(fields[name])
        return None if value in (None, "") else str(value)

    code = get("status")
    if code is None:
        raise InvalidDocument(f"event {index}: no {fields['status']!r}", index=index)
    status = status_map.get(code)
    if status is None:
        try:
            status = ShipmentStatus(code)
        except ValueError as exc:
            raise InvalidDocument(
                f"event {index}: unknown carrier status {code!r} (add it "
                "to the profile's status_map)",
                index=index,
                status=code,
            ) from exc
    if get("tracking_number") is None and get("sscc") is None:
        raise InvalidDocument(f"event {index}: neither a tracking number nor an SSCC", index=index)
    return ShipmentEvent(
        document_id=f"carrier:{ctx.message_id}:{index}",
        partner_id=ctx.partner_id,
        correlation_id=ctx.correlation_id,
        carrier=Carrier(code=ctx.partner_id),
        status=status,
        occurred_at=_when(get("occurred_at"), index),
        tracking_number=get("tracking_number"),
        sscc=get("sscc"),
        new_eta=_day(get("new_eta"), index),
        location=get("location"),
        note=get("note"),
    )


def _when(value: str | None, index: int) -> datetime:
    if value is None:
        raise InvalidDocument(f"event {index}: no time given", index=index)
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidDate(f"event {index}: {value!r} is not an ISO date-time", index=index) from exc


def _day(value: str | None, index: int) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise InvalidDate(f"event {index}: {value!r} is not an ISO date", index=index) from exc
