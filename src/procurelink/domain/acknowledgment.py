"""Acknowledgments about the exchange itself: functional (997, 999, CONTRL) and application
(APERAK) acknowledgments."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from procurelink.domain.document import Document
from procurelink.domain.values import Frozen


class AckStatus(StrEnum):
    ACCEPTED = "accepted"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"
    RECEIVED = "received"


class SyntaxIssue(Frozen):
    """One syntax problem, located as precisely as the ack format allows."""

    code: str
    description: str | None = None
    segment_id: str | None = None
    segment_position: int | None = None
    element_position: int | None = None
    component_position: int | None = None
    bad_value: str | None = None


class AckDetail(Frozen):
    """The verdict on one transaction set / message."""

    ref: str  # ST02 / UNH 0062
    type: str  # 850 / ORDERS:D:96A:UN
    status: AckStatus
    errors: tuple[SyntaxIssue, ...] = ()


class AckCounts(Frozen):
    included: int = Field(ge=0)
    received: int = Field(ge=0)
    accepted: int = Field(ge=0)


class FunctionalAck(Document):
    """A 997/999 (one per functional group) or a CONTRL (one per interchange)."""

    document_type: Literal["functional_ack"] = "functional_ack"
    syntax: Literal["x12", "edifact"]
    ack_type: Literal["997", "999", "TA1", "CONTRL"]
    status: AckStatus
    interchange_ref: str | None = None  # ISA13 / UNB 0020 acknowledged
    group_ref: str | None = None  # GS06 / UNG 0048 acknowledged
    functional_id: str | None = None  # GS01 acknowledged (PO, IN, ...)
    group_version: str | None = None  # GS08 acknowledged (X12 999 AK103 carries it)
    sender: str | None = None
    recipient: str | None = None
    action_code: str | None = None  # EDIFACT 0083
    counts: AckCounts | None = None
    details: tuple[AckDetail, ...] = ()
    errors: tuple[SyntaxIssue, ...] = ()  # group or interchange level


class ApplicationError(Frozen):
    code: str
    message: str
    reference: str | None = None


class ApplicationResponse(Document):
    """A business-level accept/reject of a message we sent (EDIFACT APERAK)."""

    document_type: Literal["application_response"] = "application_response"
    response_number: str = Field(min_length=1)
    refers_to_document: str | None = None  # the number of the document answered
    refers_to_type: str | None = None
    status: AckStatus
    errors: tuple[ApplicationError, ...] = ()
