"""What a running demo consists of: its servers, the runtime and the demo suppliers."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from procurelink import bootstrap
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer
from procurelink.domain.ledger import OrderState
from procurelink.entrypoints.demo.as2_supplier import As2EdifactSupplier
from procurelink.entrypoints.demo.mail_supplier import EmailCsvSupplier
from procurelink.entrypoints.demo.suppliers import (
    JsonHttpSupplier,
    SftpCsvSupplier,
    X12DropSupplier,
)
from procurelink.entrypoints.listen import BackgroundServer

# An order whose supplier has answered and whose answer procurelink has dealt with.
DONE = frozenset({OrderState.CONFIRMED, OrderState.CHANGE_PENDING, OrderState.REJECTED})


@dataclass(frozen=True)
class DemoSupplier:
    """One demo supplier as the summary lists it."""

    partner_id: str
    vendor_ref: str
    channel: str
    inactive: str | None = None  # why it does not take part, with how to fix that


@dataclass
class DemoWorld:
    workdir: Path
    odoo: BackgroundServer
    api: BackgroundServer
    supplier_api: BackgroundServer
    runtime: bootstrap.Runtime
    steelworks: X12DropSupplier
    polymer: JsonHttpSupplier
    fastener: SftpCsvSupplier
    sftp: EmbeddedSftpServer
    nordcast: As2EdifactSupplier
    nordcast_server: BackgroundServer
    brightline: EmailCsvSupplier | None
    suppliers: list[DemoSupplier]
    # The mail server and its SMTP relay (closed with the world).
    resources: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    order_numbers: list[str] = field(default_factory=list)
