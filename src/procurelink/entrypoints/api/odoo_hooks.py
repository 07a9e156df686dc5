"""``POST /odoo/hooks/{rule}?secret=...``: change hints from Odoo's webhook actions.

Odoo waits at most 1 s and never retries, so the answer is immediate: check the secret,
queue (or start a poll), return. The body is a hint only (``ErpHookService``).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse

from procurelink.services.erp_hooks import ErpHookService

MAX_BODY = 64 * 1024  # Odoo sends a few fields; anything bigger is not from our rules
_SECRET_IN_URL = re.compile(r"(secret=)[^&\s\"]*")


class _RedactSecrets(logging.Filter):
    """Access logs print the query string: the secret must not end up in a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_IN_URL.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args
            )
        record.msg = _SECRET_IN_URL.sub(r"\1***", str(record.msg))
        return True


def odoo_hooks_router(hooks: ErpHookService) -> APIRouter:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _RedactSecrets) for f in access.filters):
        access.addFilter(_RedactSecrets())
    router = APIRouter()

    @router.post("/odoo/hooks/{rule}")
    async def odoo_hook(rule: str, request: Request, secret: str = "") -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY:
            raise HTTPException(413, "payload too large")
        try:
            payload: Any = json.loads(body) if body else {}
        except ValueError:
            payload = {}  # still a valid "something changed" signal for the non-order hooks
        if not isinstance(payload, dict):
            payload = {}
        result = await hooks.hint(rule, secret, payload)
        if not result.accepted:
            # One answer for an unknown rule and a wrong secret.
            raise HTTPException(401, "unknown hook or bad secret")
        return JSONResponse(
            {"status": "ok", "queued": result.queued, "polling": result.polling},
            status_code=200,
        )

    return router
