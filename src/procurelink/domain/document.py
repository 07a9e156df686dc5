"""What every canonical document carries."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from procurelink.domain.values import Frozen

SCHEMA_VERSION: Literal["1"] = "1"


class Document(Frozen):
    """Base of all canonical documents.

    ``partner_id`` is the procurelink partner profile id of the supplier (or carrier, plant) the
    document was exchanged with; ``correlation_id`` ties it to the purchase order's thread.
    """

    schema_version: Literal["1"] = SCHEMA_VERSION
    document_type: str
    document_id: str = Field(min_length=1)
    partner_id: str = Field(min_length=1)
    correlation_id: str = Field(min_length=1)
