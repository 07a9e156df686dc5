"""The partner profile: everything procurelink knows about one supplier (ARCHITECTURE.md §4).

Channel and codec options are kept as free-form mappings here; each adapter validates its own
options with its own settings model when the profile is loaded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from procurelink.domain.tolerances import MatchTolerances
from procurelink.domain.values import Dec


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OdooIdentity(_Strict):
    partner_id: int | None = Field(default=None, description="res.partner id of the vendor")
    partner_ref: str | None = Field(default=None, description="res.partner ref, if ids differ")


class EdiIdentity(_Strict):
    qualifier: str = "ZZ"
    id: str


class Identifiers(_Strict):
    gln: str | None = None
    x12: EdiIdentity | None = None
    edifact: EdiIdentity | None = None


class CodecSpec(_Strict):
    type: str = Field(description="x12-004010 | json | ...")
    options: dict[str, Any] = Field(default_factory=dict)


class ChannelSpec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")
    type: str = Field(description="directory | http-webhook | ...")


class Channels(_Strict):
    outbound: ChannelSpec | None = None  # carriers only send to procurelink
    inbound: ChannelSpec | None = None


class Tolerances(_Strict):
    """Changes inside these limits are applied without a buyer's approval."""

    date_shift_days: int = Field(default=0, ge=0, description="max days earlier or later")
    quantity_change_pct: Dec = Field(default=Decimal(0), ge=0)
    price_change_pct: Dec = Field(default=Decimal(0), ge=0)
    over_delivery_pct: Dec = Field(
        default=Decimal(0), ge=0, description="ship notices may exceed the open quantity by"
    )
    auto_apply_rejections: bool = False


class FunctionalAckSettings(_Strict):
    """Functional acknowledgments (997/999/CONTRL) both ways (edi.md sections 5.5 and 6).

    ``auto`` follows the usual agreement: every inbound X12 group gets a 997, an EDIFACT
    interchange gets a CONTRL when its UNB 0031 asks; likewise we expect a 997 for every
    X12 interchange we send and a CONTRL only when our UNB asked for one.
    """

    send: Literal["auto", "always", "never"] = "auto"
    expect: Literal["auto", "always", "never"] = "auto"
    expect_within_hours: int = Field(
        default=24, gt=0, description="alert when the ack is later than this after delivery"
    )


class ArchiveLimits(_Strict):
    """How far a zip from this partner is unpacked before it is refused as a zip bomb.

    Sizes are counted while decompressing, never taken from the archive's own headers.
    """

    max_total_bytes: int = Field(default=100 * 1024 * 1024, gt=0, description="all files")
    max_entries: int = Field(default=200, gt=0, description="files, nested archives included")
    max_ratio: float = Field(default=100.0, gt=1, description="uncompressed / compressed")
    # Tiny files compress absurdly well (a page of spaces) without being a threat.
    ratio_applies_above_bytes: int = Field(default=1024 * 1024, ge=0)
    max_depth: int = Field(default=2, ge=1, description="1: no zip inside the zip")


class PartnerProfile(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    name: str
    # Carriers report milestones of suppliers' shipments; they have no Odoo vendor.
    kind: Literal["supplier", "carrier"] = "supplier"
    odoo: OdooIdentity = OdooIdentity()
    identifiers: Identifiers = Identifiers()
    codec: CodecSpec
    channels: Channels = Channels()
    tolerances: Tolerances = Tolerances()
    invoice_match: MatchTolerances = MatchTolerances()
    functional_acks: FunctionalAckSettings = FunctionalAckSettings()
    max_message_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    archives: ArchiveLimits = ArchiveLimits()
    shared_secret: SecretStr | None = Field(
        default=None, description="HMAC secret for signed HTTP traffic; use ${ENV_VAR} in YAML"
    )
    uom_map: dict[str, str] = Field(
        default_factory=dict, description="partner unit code -> normalised unit code"
    )
    rejected_lines: Literal["cancel", "flag"] = Field(
        default="cancel",
        description="lines the supplier rejects: cancel (quantity down to what was already "
        "received) or flag (quantity kept, a note on the order names them)",
    )
    active: bool = True

    @model_validator(mode="after")
    def _suppliers_can_be_reached(self) -> PartnerProfile:
        if self.kind == "supplier" and self.channels.outbound is None:
            raise ValueError("channels.outbound: a supplier needs a channel to receive orders")
        return self
