"""Odoo's exception classes as the simulator raises them, and their wire names.

Mirrors ``odoo/exceptions.py`` (17): AccessDenied, AccessError, MissingError and
ValidationError subclass UserError; RedirectWarning subclasses Exception directly. Python
errors (ValueError, AttributeError, TypeError...) are raised as themselves, like in Odoo, and
reach the client as XML-RPC fault 1 / JSON-RPC ``builtins.<Name>``.
"""

from __future__ import annotations


class UserError(Exception):
    """A business rule refusal (XML-RPC fault 2)."""

    xmlrpc_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """A constraint (XML-RPC fault 2)."""


class MissingError(UserError):
    """The record does not exist (XML-RPC fault 2)."""


class AccessError(UserError):
    """An ACL or record-rule refusal, or a private method (XML-RPC fault 4)."""

    xmlrpc_code = 4


class AccessDenied(UserError):
    """Wrong uid, password or API key (XML-RPC fault 3)."""

    xmlrpc_code = 3

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)


class RedirectWarning(Exception):
    """A refusal with a suggested action (XML-RPC fault 2)."""

    xmlrpc_code = 2


class LockError(UserError):
    """A record locked by another transaction (19; XML-RPC fault 2)."""


class InvalidTextRepresentation(Exception):
    """PostgreSQL refusing a value for its column type, as psycopg2 raises it through Odoo:
    not an Odoo exception, so a server error (XML-RPC fault 1, JSON-2 500)."""


# Odoo does not translate it: clients see psycopg2's own module and class name.
InvalidTextRepresentation.__module__ = "psycopg2.errors"


class HttpError(Exception):
    """werkzeug's HTTP exceptions, which JSON-2 answers with their own status."""

    __module__ = "werkzeug.exceptions"
    status = 500


class BadRequest(HttpError):
    """The body is not JSON."""

    __module__ = "werkzeug.exceptions"
    status = 400


class Unauthorized(HttpError):
    """Missing, invalid or expired API key."""

    __module__ = "werkzeug.exceptions"
    status = 401


class NotFound(HttpError):
    """Unknown model, method or path."""

    __module__ = "werkzeug.exceptions"
    status = 404


class UnprocessableEntity(HttpError):
    """The arguments do not bind to the method's signature."""

    __module__ = "werkzeug.exceptions"
    status = 422


ODOO_EXCEPTIONS = (UserError, RedirectWarning)


def http_status(exc: BaseException) -> int:
    """JSON-2's status per exception (the ``http_status`` attributes of Odoo 19)."""
    if isinstance(exc, HttpError):
        return exc.status
    if isinstance(exc, AccessError | AccessDenied):
        return 403
    if isinstance(exc, MissingError):
        return 404
    if isinstance(exc, LockError):
        return 409
    if isinstance(exc, UserError):
        return 422
    return 500  # RedirectWarning (not a UserError), serialization failures, bugs


def wire_name(exc: BaseException) -> str:
    """The JSON-RPC ``error.data.name``: ``odoo.exceptions.X`` or ``<module>.<Class>``."""
    if isinstance(exc, ODOO_EXCEPTIONS):
        return f"odoo.exceptions.{type(exc).__name__}"
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def xmlrpc_code(exc: BaseException) -> int:
    """``xmlrpc_handle_exception_int``: 2, 3 or 4 for Odoo errors, 1 for anything else."""
    # AccessError and AccessDenied subclass UserError, so the class attribute decides.
    code = getattr(exc, "xmlrpc_code", 1)
    return code if isinstance(exc, ODOO_EXCEPTIONS) else 1
