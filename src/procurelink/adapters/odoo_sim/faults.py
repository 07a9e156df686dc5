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


ODOO_EXCEPTIONS = (UserError, RedirectWarning)


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
