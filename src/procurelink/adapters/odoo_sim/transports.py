"""Odoo's wire protocols over the simulated server (reference sections 1.2 and 1.3).

``/xmlrpc/2/<service>``: faults with integer codes 1-4, results marshalled without
``allow_none`` (so a ``None`` result is fault 1 after the change was kept). ``/jsonrpc``:
JSON-RPC 2.0 with Odoo's error object, keyed by ``error.data.name``.
"""

from __future__ import annotations

import json
import traceback
import xmlrpc.client
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from procurelink.adapters.odoo_sim.faults import wire_name, xmlrpc_code
from procurelink.adapters.odoo_sim.service import SimOdoo


def _fault(exc: BaseException) -> xmlrpc.client.Fault:
    code = xmlrpc_code(exc)
    # Codes 2-4 carry the message; anything else carries the full traceback.
    text = str(exc.args[0]) if code != 1 and exc.args else "".join(traceback.format_exception(exc))
    return xmlrpc.client.Fault(code, text)


async def xmlrpc_endpoint(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    body = await request.body()
    try:
        params, method = xmlrpc.client.loads(body)  # 17: no use_datetime, strings only
        result = sim.dispatch(request.path_params["service"], method or "", params)
        payload = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=False)
    except Exception as exc:  # every failure becomes a fault, as in Odoo's handler
        payload = xmlrpc.client.dumps(_fault(exc), methodresponse=True, allow_none=False)
    return Response(payload, media_type="text/xml; charset=utf-8")


def _error(sim: SimOdoo, exc: BaseException) -> dict[str, Any]:
    return {
        # 19 changed the generic code to 0; clients must key on data.name.
        "code": 0 if sim.version.startswith("19") else 200,
        "message": "Odoo Server Error",
        "data": {
            "name": wire_name(exc),
            "debug": "".join(traceback.format_exception(exc)),
            "message": str(exc.args[0]) if exc.args else "",
            "arguments": list(exc.args),
            "context": {},
        },
    }


async def jsonrpc_endpoint(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    request_id: Any = None
    try:
        body = json.loads(await request.body())
        request_id = body.get("id")
        params = body["params"]
        result = sim.dispatch(params["service"], params["method"], params.get("args", []))
        return JSONResponse({"jsonrpc": "2.0", "id": request_id, "result": result})
    except Exception as exc:
        error = _error(sim, exc)
        return JSONResponse({"jsonrpc": "2.0", "id": request_id, "error": error})


ROUTES = [
    Route("/xmlrpc/2/{service}", xmlrpc_endpoint, methods=["POST"]),
    Route("/jsonrpc", jsonrpc_endpoint, methods=["POST"]),
]
