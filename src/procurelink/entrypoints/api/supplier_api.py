"""`/api/v1` for suppliers: post documents, read their own orders. Nothing else is visible.

Authentication: ``Authorization: Bearer <api key>`` or a bearer access token obtained with
OAuth2 client credentials at ``/api/v1/oauth/token``.
"""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency
# annotations, which refer to names local to supplier_router().
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from procurelink.bootstrap import Runtime
from procurelink.domain.catalog import parse_document
from procurelink.domain.ledger import LedgerOrder
from procurelink.errors import AuthenticationError, InvalidDocument, ProcurelinkError
from procurelink.ports.channel import InboundItem
from procurelink.services.intake import IdempotencyConflict

# The path a supplier posts to, and the canonical document type it must carry.
DOCUMENT_PATHS = {
    "acknowledgments": "order_response",
    "ship-notices": "despatch_advice",
    "invoices": "invoice",
    "quality-results": "quality_result",
    "shipment-events": "shipment_event",
}


def _order_json(order: LedgerOrder) -> dict[str, Any]:
    return {
        "order_number": order.order_number,
        "state": str(order.state),
        "currency": order.currency,
        "vendor_ref": order.vendor_ref,
        "correlation_id": order.correlation_id,
        "lines": [
            {
                "line_no": ln.line_no,
                "buyer_item": ln.buyer_item,
                "supplier_item": ln.supplier_item,
                "description": ln.description,
                "quantity": format(ln.quantity, "f"),
                "uom": ln.uom,
                "requested_date": ln.requested_date.isoformat() if ln.requested_date else None,
                "received_quantity": format(ln.received_quantity, "f"),
            }
            for ln in order.lines
        ],
    }


def supplier_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["suppliers"])
    access = runtime.supplier_access

    async def partner(authorization: Annotated[str | None, Header()] = None) -> str:
        scheme, _, credential = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not credential:
            raise HTTPException(
                401, "missing bearer credentials", headers={"WWW-Authenticate": "Bearer"}
            )
        try:
            return await access.authenticate(credential.strip())
        except AuthenticationError as exc:
            raise HTTPException(401, exc.message, headers={"WWW-Authenticate": "Bearer"}) from exc

    PartnerId = Annotated[str, Depends(partner)]  # noqa: N806 - a type alias

    @router.post("/oauth/token")
    async def token(
        grant_type: Annotated[str, Form()],
        client_id: Annotated[str, Form()],
        client_secret: Annotated[str, Form()],
    ) -> dict[str, object]:
        if grant_type != "client_credentials":
            raise HTTPException(400, "unsupported_grant_type")
        try:
            issued = await access.issue_token(client_id, client_secret)
        except AuthenticationError as exc:
            raise HTTPException(401, "invalid_client") from exc
        return {
            "access_token": issued.access_token,
            "token_type": "bearer",
            "expires_in": issued.expires_in,
        }

    @router.get("/orders")
    async def my_orders(partner_id: PartnerId) -> list[dict[str, Any]]:
        return [_order_json(o) for o in await runtime.queries.orders(partner_id=partner_id)]

    @router.get("/orders/{order_number}")
    async def my_order(order_number: str, partner_id: PartnerId) -> dict[str, Any]:
        view = await runtime.queries.order(order_number)
        # Another supplier's order answers exactly like a missing one.
        if view is None or view.order.partner_id != partner_id:
            raise HTTPException(404, f"no order {order_number}")
        return _order_json(view.order)

    @router.post("/{kind}", status_code=202)
    async def post_document(
        kind: str,
        request: Request,
        partner_id: PartnerId,
        idempotency_key: Annotated[str | None, Header()] = None,
    ) -> JSONResponse:
        expected = DOCUMENT_PATHS.get(kind)
        if expected is None:
            raise HTTPException(404, f"unknown document kind {kind!r}")
        profile = runtime.deps.partners.get(partner_id)
        assert profile is not None  # authentication checked the profile is active
        if profile.kind == "carrier" and expected != "shipment_event":
            raise HTTPException(403, "carriers post shipment-events only")
        body = await request.body()
        item = InboundItem(
            partner_id=partner_id,
            channel="api",
            filename=None,
            content_type="application/json",
            body=body,
            received_at=datetime.now(UTC),
            handle=idempotency_key or "",
            metadata={"path": kind},
        )
        # Canonical JSON is checked at the door; other formats (a carrier's own JSON) are
        # captured and decoded by the partner's codec like any other channel.
        refusal = _check(body, expected) if profile.codec.type == "json" else None
        try:
            result = await runtime.intake.capture(item, idempotency_key, refusal=refusal)
        except IdempotencyConflict as exc:
            raise HTTPException(409, exc.message) from exc
        except ProcurelinkError as exc:
            raise HTTPException(400, exc.message) from exc
        if refusal is not None:
            return JSONResponse(
                {"message_id": result.message_id, "error": refusal.to_dict()}, status_code=422
            )
        return JSONResponse(
            {
                "message_id": result.message_id,
                "status": "captured",
                "duplicate_of": result.duplicate_of,
            },
            status_code=202,
        )

    return router


def _check(body: bytes, expected: str) -> InvalidDocument | None:
    """Refuse at the door what can never be decoded, so the supplier learns it at once."""
    try:
        data = json.loads(body)
        docs = data if isinstance(data, list) else [data]
        for doc in docs:
            if not isinstance(doc, dict) or doc.get("document_type") != expected:
                return InvalidDocument(
                    f"this endpoint takes {expected} documents", expected=expected
                )
            parse_document(
                {
                    **doc,
                    "partner_id": doc.get("partner_id") or "-",
                    "correlation_id": doc.get("correlation_id") or "-",
                }
            )
    except (ValueError, UnicodeDecodeError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else None
        return InvalidDocument(
            f"not a valid {expected} document: "
            + (
                "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:10])
                if errors
                else str(exc)
            ),
            expected=expected,
        )
    return None
