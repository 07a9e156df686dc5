"""Business events: facts the system records and publishes (to the bus, dashboards, audit)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from procurelink.domain.values import Frozen


class BusinessEvent(Frozen):
    event_id: str = Field(min_length=1)
    occurred_at: datetime
    correlation_id: str = Field(min_length=1)
    partner_id: str | None = None
    order_number: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class OrderReleased(BusinessEvent):
    event_type: Literal["order_released"] = "order_released"


class OrderChanged(BusinessEvent):
    event_type: Literal["order_changed"] = "order_changed"


class OrderCancelled(BusinessEvent):
    event_type: Literal["order_cancelled"] = "order_cancelled"


class DocumentSent(BusinessEvent):
    event_type: Literal["document_sent"] = "document_sent"


class DocumentReceived(BusinessEvent):
    event_type: Literal["document_received"] = "document_received"


class AcknowledgmentApplied(BusinessEvent):
    event_type: Literal["acknowledgment_applied"] = "acknowledgment_applied"


class BillCreated(BusinessEvent):
    """A supplier invoice became a vendor bill in the ERP (``data.state``: draft or posted)."""

    event_type: Literal["bill_created"] = "bill_created"


class ExceptionRaised(BusinessEvent):
    event_type: Literal["exception_raised"] = "exception_raised"


class ExceptionResolved(BusinessEvent):
    event_type: Literal["exception_resolved"] = "exception_resolved"


AnyEvent = Annotated[
    OrderReleased
    | OrderChanged
    | OrderCancelled
    | DocumentSent
    | DocumentReceived
    | AcknowledgmentApplied
    | BillCreated
    | ExceptionRaised
    | ExceptionResolved,
    Field(discriminator="event_type"),
]
