"""The one error tree of procurelink.

Every error carries a stable ``code`` (shown on the exception dashboard and in CLI output) and
optional ``details`` naming what was wrong. The docstring of each class is its default message.
Adapters translate foreign exceptions into the most specific class here, chained with ``from``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ProcurelinkError(Exception):
    """A procurelink error."""

    code = "error"

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or (self.__doc__ or self.code).strip()
        self.details: Mapping[str, Any] = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": dict(self.details)}


class ConfigurationError(ProcurelinkError):
    """The configuration is invalid."""

    code = "configuration"


class AuthenticationError(ConfigurationError):
    """The credentials were refused."""

    code = "authentication"


class NotPermitted(AuthenticationError):
    """The credentials are right, but their user may not do this."""

    code = "not_permitted"


class DomainError(ProcurelinkError):
    """A business rule was broken."""

    code = "domain"


class InvalidDocument(DomainError):
    """The document cannot be read or is not valid."""

    code = "invalid_document"


class MalformedMessage(InvalidDocument):
    """The message bytes are not well-formed for their syntax."""

    code = "malformed_message"


class EmptyMessage(InvalidDocument):
    """The message is empty."""

    code = "empty_message"


class MessageTooLarge(InvalidDocument):
    """The message is larger than the partner's limit."""

    code = "message_too_large"


class InvalidDate(InvalidDocument):
    """A date in the document is not a real calendar date."""

    code = "invalid_date"


class UnknownOrder(DomainError):
    """The document refers to a purchase order procurelink does not know."""

    code = "unknown_order"


class WrongSupplier(DomainError):
    """The document comes from a supplier the order does not belong to."""

    code = "wrong_supplier"


class UnknownOrderLine(DomainError):
    """The document refers to an order line that does not exist."""

    code = "unknown_order_line"


class UomMismatch(DomainError):
    """A quantity is given in a unit other than the order line's: never written as if it
    were the line's unit."""

    code = "uom_mismatch"


class UnknownPartner(DomainError):
    """No partner profile matches the sender."""

    code = "unknown_partner"


class DuplicateMessage(DomainError):
    """The same message was already received."""

    code = "duplicate_message"


class IllegalTransition(DomainError):
    """The state change is not allowed from the current state."""

    code = "illegal_transition"


class PolicyViolation(DomainError):
    """The change breaks the partner's tolerances and needs a buyer's approval."""

    code = "policy_violation"


class DeliveryError(ProcurelinkError):
    """A message could not be delivered or an effect could not be applied."""

    code = "delivery"


class TransientError(DeliveryError):
    """A temporary failure; the job is retried with backoff."""

    code = "transient"


class PermanentError(DeliveryError):
    """A failure that retrying cannot fix; the job is dead-lettered."""

    code = "permanent"


class ErpError(PermanentError):
    """The ERP refused the call."""

    code = "erp_refused"


class ErpUnavailable(TransientError):
    """The ERP could not be reached or answered with a temporary failure."""

    code = "erp_unavailable"
