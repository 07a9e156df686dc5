"""One translation table from Odoo's errors to procurelink's, shared by every transport.

Each transport reduces its wire shape to the Python class name Odoo raised (XML-RPC fault
code or traceback, JSON-RPC ``error.data.name``, JSON-2 body ``name``) and hands it here
(reference sections 1.2, 1.3, 1.5 and pitfall 12):

* ``AccessDenied`` (and JSON-2's 401 ``Unauthorized``) -> ``AuthenticationError``: retrying
  with the same secret only feeds Odoo's login cooldown.
* ``AccessError``, ``UserError``, ``ValidationError``, ``MissingError``, ``RedirectWarning``,
  ``LockError`` -> ``ErpError`` (permanent) with Odoo's message, the model and the method.
* PostgreSQL serialization failure, lock not available, deadlock (after Odoo's own five
  retries) -> ``ErpUnavailable`` (transient).
* anything else (AttributeError, TypeError, ValueError...: our call is wrong) -> ``ErpError``.

Connection failures and HTTP statuses that do not come from Odoo's own error handler
(``http_failure``) are transient when a retry can help: timeouts, 429 and 5xx.
"""

from __future__ import annotations

from typing import Any

import httpx

from procurelink.errors import AuthenticationError, ErpError, ErpUnavailable, ProcurelinkError

AUTH = frozenset({"AccessDenied", "Unauthorized"})
PERMANENT = frozenset(
    {"AccessError", "UserError", "ValidationError", "MissingError", "RedirectWarning", "LockError"}
)
# Class names, not modules: psycopg2 today, maybe psycopg tomorrow.
TRANSIENT = frozenset(
    {"SerializationFailure", "LockNotAvailable", "DeadlockDetected", "TransactionRollbackError"}
)
# The same failures as they read in a traceback when only the text is left (XML-RPC fault 1).
TRANSIENT_TEXT = (
    "could not serialize access",
    "could not obtain lock",
    "deadlock detected",
    *TRANSIENT,
)


def translate(name: str, message: str, **where: Any) -> ProcurelinkError:
    """The procurelink error for Odoo's exception ``name`` (dotted or bare class name)."""
    short = name.rsplit(".", 1)[-1]
    if short in AUTH:
        return AuthenticationError(
            "Odoo denied access (wrong uid, password or API key)", odoo_error=short, **where
        )
    if short in TRANSIENT or (not name and any(t in message for t in TRANSIENT_TEXT)):
        return ErpUnavailable(message or short, odoo_error=short or None, **where)
    return ErpError(message or short, odoo_error=short or None, **where)


def http_failure(status: int, **where: Any) -> ProcurelinkError:
    """An HTTP status without Odoo's error body: a proxy, a load balancer, a dying worker."""
    if status == 401:
        return AuthenticationError("Odoo refused the credentials", status=status, **where)
    if status in (408, 429) or status >= 500:
        return ErpUnavailable(f"Odoo answered HTTP {status}", status=status, **where)
    return ErpError(f"Odoo answered HTTP {status}", status=status, **where)


def connection_failure(exc: httpx.HTTPError, **where: Any) -> ErpUnavailable:
    if isinstance(exc, httpx.TimeoutException):
        return ErpUnavailable("Odoo did not answer in time", **where)
    return ErpUnavailable(f"Odoo is unreachable: {type(exc).__name__}", **where)
