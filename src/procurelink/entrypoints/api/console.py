"""The buyer console (``/console``) and the buyers' JSON (``/api/v1/exceptions``).

Buyers sign in at ``/console/login`` with their Odoo login and password
(``services.console_access``); the session is an HttpOnly, SameSite=Lax cookie (Secure when
the request came over https). Without a session a console page redirects to the sign-in page
and the JSON answers 401; supplier keys and tokens open neither. Every POST carries a CSRF
token in a hidden field, bound to the session (before sign-in: to a nonce cookie). Whoever
approves or rejects is the signed-in Odoo login, never a field of the form.
"""

# No `from __future__ import annotations` here: FastAPI must resolve the dependency
# annotations, which refer to names local to console_router().
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from procurelink.bootstrap import Runtime
from procurelink.errors import AuthenticationError, IllegalTransition, NotPermitted
from procurelink.ports.records import ExceptionStatus
from procurelink.security.console_sessions import ConsoleSession, new_nonce
from procurelink.services.console_access import SignInBusy, SignInThrottled, SignInUnavailable

SESSION_COOKIE = "procurelink_console"
LOGIN_COOKIE = "procurelink_console_login"  # the nonce the sign-in form's CSRF token is bound to
LOGIN_PATH = "/console/login"
LOGIN_BINDING = "login:"
HOME = "/console"
PAGE_HEADERS = {
    "Cache-Control": "no-store",  # buyers' pages hold every supplier's data
    # Never inside another site's frame: its page could trick a buyer into clicking Approve.
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


def _local(target: str) -> str:
    """Where to go after sign-in: a console path only, never another site."""
    ok = target.startswith(HOME) and target.isprintable() and "\\" not in target
    return target if ok else HOME


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def console_router(runtime: Runtime, templates: Jinja2Templates) -> APIRouter:
    router = APIRouter()
    access = runtime.console_access
    queries = runtime.queries

    async def signed_in(request: Request) -> ConsoleSession | None:
        return await access.session(request.cookies.get(SESSION_COOKIE))

    async def buyer_page(request: Request) -> ConsoleSession:
        session = await signed_in(request)
        if session is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            location = f"{LOGIN_PATH}?{urlencode({'next': target})}"
            raise HTTPException(303, "sign in first", headers={"Location": location})
        return session

    async def buyer_form(
        session: Annotated[ConsoleSession, Depends(buyer_page)],
        csrf_token: Annotated[str, Form()] = "",
    ) -> ConsoleSession:
        if not access.csrf_ok(session.session_id, csrf_token):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page and retry")
        return session

    async def buyer_api(request: Request) -> ConsoleSession:
        session = await signed_in(request)
        if session is None:
            raise HTTPException(
                401,
                "sign in to the buyer console first",
                headers={"WWW-Authenticate": 'Cookie realm="procurelink console"'},
            )
        return session

    Buyer = Annotated[ConsoleSession, Depends(buyer_page)]  # noqa: N806 - a type alias
    BuyerForm = Annotated[ConsoleSession, Depends(buyer_form)]  # noqa: N806 - a type alias
    BuyerApi = Annotated[ConsoleSession, Depends(buyer_api)]  # noqa: N806 - a type alias

    def page(
        request: Request, session: ConsoleSession, template: str, context: dict[str, Any]
    ) -> Response:
        context = {
            **context,
            "buyer": session,
            "csrf_token": access.csrf_token(session.session_id),
        }
        return templates.TemplateResponse(request, template, context, headers=PAGE_HEADERS)

    def login_page(
        request: Request, next_page: str, error: str | None = None, status_code: int = 200
    ) -> Response:
        nonce = new_nonce()
        context = {
            "buyer": None,
            "csrf_token": access.csrf_token(LOGIN_BINDING + nonce),
            "next": _local(next_page),
            "error": error,
        }
        response = templates.TemplateResponse(
            request, "login.html", context, status_code=status_code, headers=PAGE_HEADERS
        )
        response.set_cookie(
            LOGIN_COOKIE,
            nonce,
            max_age=3600,
            path=LOGIN_PATH,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
        return response

    @router.get(LOGIN_PATH, response_class=HTMLResponse)
    async def login_form(request: Request, next: str = HOME) -> Response:
        if await signed_in(request) is not None:
            return RedirectResponse(_local(next), status_code=303)
        return login_page(request, next)

    @router.post(LOGIN_PATH)
    async def login(
        request: Request,
        login: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = HOME,
    ) -> Response:
        nonce = request.cookies.get(LOGIN_COOKIE, "")
        if not nonce or not access.csrf_ok(LOGIN_BINDING + nonce, csrf_token):
            return login_page(request, next, "The sign-in form expired: please try again.", 403)
        try:
            session, cookie = await access.sign_in(login, password, _client(request))
        except SignInThrottled as exc:
            response = login_page(request, next, exc.message, 429)
            response.headers["Retry-After"] = str(exc.details.get("retry_after", 60))
            return response
        except NotPermitted:
            refusal = "This Odoo user is not in the Purchase group: ask an Odoo administrator."
            return login_page(request, next, refusal, 403)
        except AuthenticationError:
            return login_page(request, next, "Wrong login or password.", 401)
        except SignInBusy:
            response = login_page(request, next, "Too many sign-ins at once: retry shortly.", 503)
            response.headers["Retry-After"] = "5"
            return response
        except SignInUnavailable:
            return login_page(request, next, "Odoo cannot check sign-ins now: try later.", 503)
        response = RedirectResponse(_local(next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=int((session.expires_at - runtime.deps.clock.now()).total_seconds()),
            path="/",
            httponly=True,
            samesite="lax",
            secure=_secure(request),
        )
        response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH)
        return response

    @router.post("/console/logout")
    async def logout(request: Request, session: BuyerForm) -> Response:
        await access.sign_out(session, _client(request))
        response = RedirectResponse(LOGIN_PATH, status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
        return response

    @router.get(HOME, response_class=HTMLResponse)
    async def console(request: Request, session: Buyer) -> Response:
        orders = await queries.orders()
        exceptions = await queries.exceptions()
        return page(request, session, "index.html", {"orders": orders, "exceptions": exceptions})

    @router.get("/console/orders/{order_number}", response_class=HTMLResponse)
    async def order_page(request: Request, order_number: str, session: Buyer) -> Response:
        view = await queries.order(order_number)
        if view is None:
            raise HTTPException(404, f"order {order_number} is not known to procurelink")
        return page(request, session, "order.html", {"view": view})

    @router.get("/console/exceptions", response_class=HTMLResponse)
    async def exceptions_page(request: Request, session: Buyer, status: str = "open") -> Response:
        rows = await queries.exceptions(status=_status(status))
        return page(request, session, "exceptions.html", {"exceptions": rows, "status": status})

    @router.post("/console/exceptions/{exception_id}/{action}")
    async def resolve(
        exception_id: int,
        action: str,
        session: BuyerForm,
        note: Annotated[str, Form()] = "",
    ) -> RedirectResponse:
        handlers = {
            "approve": runtime.approvals.approve,
            "reject": runtime.approvals.reject,
            "dismiss": runtime.approvals.dismiss,
        }
        if action not in handlers:
            raise HTTPException(404, f"unknown action {action}")
        try:
            await handlers[action](exception_id, session.login, note or None)
        except IllegalTransition as exc:
            raise HTTPException(409, exc.message) from exc
        if action == "approve":
            await runtime.runner.drain()
        return RedirectResponse("/console/exceptions", status_code=303)

    @router.get("/api/v1/exceptions")
    async def api_exceptions(session: BuyerApi, status: str = "open") -> list[dict[str, object]]:
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
            for x in await queries.exceptions(status=_status(status))
        ]

    return router


def _status(status: str) -> ExceptionStatus | None:
    if status == "all":
        return None
    try:
        return ExceptionStatus(status)
    except ValueError as exc:
        raise HTTPException(422, f"unknown exception status {status!r}") from exc
