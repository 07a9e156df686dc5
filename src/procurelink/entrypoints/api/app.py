"""FastAPI app factory: supplier API (/api/v1), planning API (/api/v1/planning), buyer
console (/console, signed-in buyers only: ``console``), health."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from procurelink.bootstrap import Runtime, as2_receiver_app
from procurelink.entrypoints.api.console import console_router
from procurelink.entrypoints.api.odoo_hooks import odoo_hooks_router
from procurelink.entrypoints.api.planning_api import planning_router
from procurelink.entrypoints.api.supplier_api import supplier_router
from procurelink.errors import ProcurelinkError
from procurelink.ports.channel import InboundItem
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

    app.include_router(console_router(runtime, templates))
    app.include_router(planning_router(runtime))
    app.include_router(supplier_router(runtime))
    app.include_router(odoo_hooks_router(runtime.erp_hooks))
    as2 = as2_receiver_app(runtime)
    if as2 is not None:
        app.mount("/as2", as2)  # partners post to /as2/, async MDNs arrive at /as2/mdn
    return app
