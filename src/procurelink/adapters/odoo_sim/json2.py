"""JSON-2 and the version routes of Odoo 19 (reference sections 1.1 and 1.5).

``POST /json/2/<model>/<method>``: ``Authorization: bearer <api key>``, optional
``X-Odoo-Database``, a JSON object of named arguments; 200 with the bare JSON result, or
a 4xx/5xx status with ``{name, message, arguments, context, debug}``. Any other path or
verb under ``/json/2`` is 404 "Did you mean POST /json/2/<model>/<method>?".
``GET /web/version`` and ``/json/version``: ``{"version_info": [...], "version": ...}``.
On older versions none of these routes exist (404), except that 18's experimental
``/json/<path>`` view route (``auth='user'``) sends any other ``/json/...`` request without
a web session to the login page (303), as a real 18 does for ``/json/2/...``.
"""

from __future__ import annotations

import json
import traceback
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from procurelink.adapters.odoo_sim.faults import BadRequest, NotFound, http_status, wire_name
from procurelink.adapters.odoo_sim.service import SimOdoo

JSON2_FROM = 19
JSON_VIEWS = 18  # /json/<path> (auth=user) redirects to /json/1/<path>, 18 only here


def _error(exc: BaseException) -> Response:
    status = http_status(exc)
    message = str(exc.args[0]) if exc.args else ""
    body = {
        "name": wire_name(exc),
        "message": message,
        "arguments": list(exc.args),
        "context": getattr(exc, "context", {}),
        "debug": "".join(traceback.format_exception(exc)),
    }
    headers = {"WWW-Authenticate": "bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _not_found() -> Response:
    return Response(
        "<html><body><h1>404: Not Found</h1></body></html>", 404, media_type="text/html"
    )


def _absent(request: Request, sim: SimOdoo) -> Response:
    """What a version without JSON-2 answers on a JSON-2 or version path."""
    path = request.url.path
    if sim.major == JSON_VIEWS and path.startswith("/json/"):
        # Odoo's login redirect: the wanted path and query, all quoted, as ``redirect``.
        wanted = quote(f"{path}?{request.url.query}", safe="")
        return Response(
            "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n",
            303,
            headers={"Location": f"/web/login?redirect={wanted}"},
            media_type="text/html",
        )
    return _not_found()


def _token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


async def json2_endpoint(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    if sim.major < JSON2_FROM:
        return _absent(request, sim)
    try:
        database = request.headers.get("x-odoo-database")
        if database is not None and database != sim.db:
            raise NotFound(f"database {database!r} not found")
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError as exc:
            raise BadRequest(f"could not parse the body as json: {exc}") from None
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object of named arguments")
        params = request.path_params
        result = sim.json2(_token(request), params["model"], params["method"], body)
    except Exception as exc:  # every failure has its status, as in Json2Dispatcher
        return _error(exc)
    return JSONResponse(result)


async def json2_fallback(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    if sim.major < JSON2_FROM:
        return _absent(request, sim)
    return _error(NotFound("Did you mean POST /json/2/<model>/<method>?"))


async def version_endpoint(request: Request) -> Response:
    sim: SimOdoo = request.app.state.odoo
    if sim.major < JSON2_FROM:
        return _absent(request, sim)
    info: dict[str, Any] = sim.version_info()
    return JSONResponse({"version_info": info["server_version_info"], "version": sim.version})


VERBS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
ROUTES = [
    Route("/json/2/{model}/{method}", json2_endpoint, methods=["POST"]),
    Route("/json/2/{rest:path}", json2_fallback, methods=VERBS),
    Route("/json/2", json2_fallback, methods=VERBS),
    Route("/web/version", version_endpoint, methods=["GET"]),
    Route("/json/version", version_endpoint, methods=["GET"]),
]
