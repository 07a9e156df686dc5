"""FastAPI app factory: supplier API (/api/v1), planning API (/api/v1/planning), buyer
console (/console), health."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Form, Header, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from procurelink.bootstrap import Runtime, as2_receiver_app
from procurelink.entrypoints.api.odoo_hooks import odoo_hooks_router
from procurelink.entrypoints.api.planning_api import planning_router
from procurelink.entrypoints.api.supplier_api import supplier_router
from procurelink.errors import IllegalTransition, ProcurelinkError
from procurelink.ports.channel import InboundItem
from procurelink.ports.records import ExceptionStatus
from procurelink.security.webhooks import SignatureError, verify_standard

HERE = Path(__file__).parent


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="procurelink", version="0.1.0")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    queries = runtime.queries

    @app.get("/healthz")
    async def healthz() -> dict[str, object]:
        due = len(await queries.jobs(limit=1))
        return {"status": "ok", "time": datetime.now(UTC).isoformat(), "jobs_seen": due}

    @app.get("/")
    async def root() -> RedirectResponse:
        return RedirectResponse("/console", status_code=303)

    @app.get("/console", response_class=HTMLResponse)
    async def console(request: Request) -> Response:
        orders = await queries.orders()
        exceptions = await queries.exceptions()
        return templates.TemplateResponse(
            request, "index.html", {"orders": orders, "exceptions": exceptions}
        )

    @app.get("/console/orders/{order_number}", response_class=HTMLResponse)
    async def order_page(request: Request, order_number: str) -> Response:
        view = await queries.order(order_number)
        if view is None:
            raise HTTPException(404, f"order {order_number} is not known to procurelink")
        return templates.TemplateResponse(request, "order.html", {"view": view})

    @app.get("/console/exceptions", response_class=HTMLResponse)
    async def exceptions_page(request: Request, status: str = "open") -> Response:
        wanted = None if status == "all" else ExceptionStatus(status)
        rows = await queries.exceptions(status=wanted)
        return templates.TemplateResponse(
            request, "exceptions.html", {"exceptions": rows, "status": status}
        )

    @app.post("/console/exceptions/{exception_id}/{action}")
    async def resolve(
        exception_id: int,
        action: str,
        note: Annotated[str, Form()] = "",
        actor: Annotated[str, Form()] = "buyer",
    ) -> RedirectResponse:
        handlers = {
            "approve": runtime.approvals.approve,
            "reject": runtime.approvals.reject,
            "dismiss": runtime.approvals.dismiss,
        }
        if action not in handlers:
            raise HTTPException(404, f"unknown action {action}")
        try:
            await handlers[action](exception_id, actor or "buyer", note or None)
        except IllegalTransition as exc:
            raise HTTPException(409, exc.message) from exc
        if action == "approve":
            await runtime.runner.drain()
        return RedirectResponse("/console/exceptions", status_code=303)

    @app.get("/api/v1/exceptions")
    async def api_exceptions(status: str = "open") -> list[dict[str, object]]:
        wanted = None if status == "all" else ExceptionStatus(status)
        return [
            {
                "id": x.id,
                "status": x.status,
                "reason_code": x.reason_code,
                "message": x.message,
                "partner_id": x.partner_id,
                "order_number": x.order_number,
                "correlation_id": x.correlation_id,
                "approvable": x.approvable,
                "created_at": x.created_at.isoformat(),
            }
            for x in await queries.exceptions(status=wanted)
        ]

    @app.post("/api/v1/partners/{partner_id}/messages", status_code=202)
    async def receive(
        partner_id: str,
        request: Request,
        content_type: Annotated[str, Header()] = "application/json",
    ) -> JSONResponse:
        """A supplier system pushing documents, signed with the Standard Webhooks scheme.

        The webhook id is the idempotency key: a redelivered webhook is captured once.
        """
        profile = runtime.deps.partners.get(partner_id)
        # The same answer for an unknown partner and a bad signature: no partner enumeration.
        if profile is None or profile.shared_secret is None:
            raise HTTPException(401, "unknown partner or bad signature")
        body = await request.body()
        try:
            webhook_id = verify_standard(
                profile.shared_secret.get_secret_value(), body, request.headers
            )
        except SignatureError as exc:
            raise HTTPException(401, f"unknown partner or bad signature: {exc}") from exc
        item = InboundItem(
            partner_id=partner_id,
            channel="http-api",
            filename=None,
            content_type=content_type,
            body=body,
            received_at=datetime.now(UTC),
            handle=webhook_id,
            metadata={"webhook_id": webhook_id},
        )
        try:
            result = await runtime.intake.capture(item, idempotency_key=webhook_id)
        except ProcurelinkError as exc:
            raise HTTPException(400, exc.message) from exc
        return JSONResponse(
            {
                "message_id": result.message_id,
                "accepted": result.accepted,
                "duplicate_of": result.duplicate_of,
                "reason": result.reason,
            },
            status_code=202,
        )

    app.include_router(planning_router(runtime))
    app.include_router(supplier_router(runtime))
    app.include_router(odoo_hooks_router(runtime.erp_hooks))
    as2 = as2_receiver_app(runtime)
    if as2 is not None:
        app.mount("/as2", as2)  # partners post to /as2/, async MDNs arrive at /as2/mdn
    return app
