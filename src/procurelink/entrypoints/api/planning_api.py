"""`/api/v1/planning` for planning engines (MRP/APS): purchase requests become draft RFQs.

Authentication: ``Authorization: Bearer pl_<key id>.<secret>``, a planning key configured in
``PROCURELINK_PLANNING_CLIENTS`` (``services.planning_access``). A planning key opens this
router only, and suppliers' keys do not open it. Every refusal answers
``{"detail": {"code", "message", "details"}}`` with the code of ``procurelink.errors``.

The body is read here, not by FastAPI, so that the caller is authenticated before a byte of
it is read and no more than ``planning_max_body_bytes`` is ever held.
"""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency
# annotations, which refer to names local to planning_router().
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, ValidationError

from procurelink.bootstrap import Runtime
from procurelink.domain.purchase_request import PurchaseRequestBatch
from procurelink.errors import (
    AuthenticationError,
    DomainError,
    InvalidDocument,
    MessageTooLarge,
    ProcurelinkError,
    TransientError,
)
from procurelink.services.rfqs import BatchConflict, RfqCreated

# What a planning engine is told to wait after Odoo was unreachable: long enough for a
# restart, short enough for a planning run waiting on its RFQs.
RETRY_AFTER_SECONDS = 30


class PlannedRfq(BaseModel):
    """One draft RFQ in Odoo: one vendor, one plant, one line per product."""

    odoo_id: int = Field(description="purchase.order id")
    name: str = Field(description="the RFQ's reference in Odoo, e.g. P00042")
    vendor_odoo_id: int = Field(description="res.partner id of the vendor")
    plant: str | None = Field(description="warehouse code; null: Odoo's default receipt type")
    lines: int = Field(description="order lines (one per product)")
    created: bool = Field(description="false: this batch had created it before")


class PlannedBatch(BaseModel):
    batch_id: str
    rfqs: list[PlannedRfq]


class ErrorBody(BaseModel):
    code: str = Field(description="stable error code, e.g. unplaceable_requests")
    message: str
    details: dict[str, Any] = {}


class ErrorAnswer(BaseModel):
    detail: ErrorBody


def _error(
    status: int, error: ProcurelinkError, headers: dict[str, str] | None = None
) -> HTTPException:
    return HTTPException(status, jsonable_encoder(error.to_dict()), headers=headers)


def _refused(message: str) -> HTTPException:
    return _error(
        401, AuthenticationError(message), {"WWW-Authenticate": 'Bearer realm="planning"'}
    )


def _inline_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON Schema with its ``$defs`` put in place, to embed in an operation
    (``#/$defs/...`` would point at the root of the OpenAPI document)."""
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return resolve(defs[ref.removeprefix("#/$defs/")])
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def _errors_text(exc: ValidationError) -> tuple[str, list[dict[str, str]]]:
    found = [
        {"field": ".".join(map(str, e["loc"])) or "(body)", "message": e["msg"]}
        for e in exc.errors()
    ]
    return "; ".join(f"{f['field']}: {f['message']}" for f in found[:10]), found


async def _read_limited(request: Request, limit: int) -> bytes:
    too_large = _error(
        413, MessageTooLarge(f"a purchase-request batch is at most {limit} bytes", limit=limit)
    )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():  # a chunked body has no length to trust
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(batch_id: str, rfqs: list[RfqCreated]) -> PlannedBatch:
    return PlannedBatch(
        batch_id=batch_id,
        rfqs=[
            PlannedRfq(
                odoo_id=r.odoo_id,
                name=r.name,
                vendor_odoo_id=r.vendor_odoo_id,
                plant=r.plant,
                lines=r.lines,
                created=r.created,
            )
            for r in rfqs
        ],
    )


def planning_router(runtime: Runtime) -> APIRouter:
    router = APIRouter(prefix="/api/v1/planning", tags=["planning"])
    access = runtime.planning_access
    limit = runtime.settings.planning_max_body_bytes
    bearer = HTTPBearer(
        auto_error=False,
        scheme_name="planningKey",
        bearerFormat="pl_<key id>.<secret>",
        description="a planning key (`procurelink planning-keys create`); suppliers' keys "
        "are refused here",
    )

    def planning_client(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        if credentials is None:
            raise _refused("missing bearer credentials")
        try:
            return access.authenticate(credentials.credentials.strip())
        except AuthenticationError as exc:
            raise _refused(exc.message) from exc

    @router.post(
        "/purchase-requests",
        status_code=201,
        response_model=PlannedBatch,
        summary="Purchase requests to draft RFQs, one per vendor and plant",
        description=(
            "Creates draft RFQs in Odoo from a planning engine's purchase requests: one RFQ "
            "per vendor (the one named by `vendor_ref`, else the best fit of the product's "
            "vendor price list) and plant (warehouse code), one line per product. The batch "
            "is placed whole or not at all. `batch_id` makes it idempotent: the same batch "
            "again answers 200 with the RFQs it created; other requests under a batch id "
            "already placed answer 409."
        ),
        responses={
            200: {"model": PlannedBatch, "description": "the whole batch was created before"},
            401: {"model": ErrorAnswer, "description": "no planning key, or a wrong one"},
            409: {"model": ErrorAnswer, "description": "batch_id used for other requests"},
            413: {"model": ErrorAnswer, "description": "body over the size limit"},
            415: {"model": ErrorAnswer, "description": "body not JSON"},
            422: {
                "model": ErrorAnswer,
                "description": "invalid JSON or schema (`invalid_document`, naming each "
                "field), or requests that cannot be placed (`unplaceable_requests`: unknown "
                "product, plant or vendor, no vendor for the quantity; recorded as an "
                "exception for buyers)",
            },
            502: {"model": ErrorAnswer, "description": "Odoo refused the RFQ"},
            503: {"model": ErrorAnswer, "description": "Odoo unreachable; see Retry-After"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": _inline_defs(PurchaseRequestBatch.model_json_schema())
                    }
                },
            }
        },
    )
    async def purchase_requests(
        request: Request, response: Response, client: Annotated[str, Depends(planning_client)]
    ) -> PlannedBatch:
        media_type = request.headers.get("content-type", "application/json").split(";")[0]
        if media_type.strip().lower() != "application/json":
            raise _error(415, InvalidDocument("send the batch as application/json"))
        body = await _read_limited(request, limit)
        try:
            batch = PurchaseRequestBatch.model_validate_json(body)
        except ValidationError as exc:
            text, fields = _errors_text(exc)
            raise _error(
                422, InvalidDocument(f"not a purchase-request batch: {text}", errors=fields)
            ) from exc
        try:
            rfqs = await runtime.rfqs.create(batch, f"planning:{client}")
        except BatchConflict as exc:
            raise _error(409, exc) from exc
        except DomainError as exc:
            raise _error(422, exc) from exc
        except TransientError as exc:
            raise _error(503, exc, {"Retry-After": str(RETRY_AFTER_SECONDS)}) from exc
        except ProcurelinkError as exc:
            raise _error(502, exc) from exc
        if not any(r.created for r in rfqs):
            response.status_code = 200
        return _answer(batch.batch_id, rfqs)

    return router
