"""The composition root: settings -> adapters -> services. Nothing is built at import time.

The three mappings below are the whole plug-in story: a new codec or channel is one line here
plus its own package (ARCHITECTURE.md §5).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.channels.as2.channel import As2Channel
from procurelink.adapters.channels.as2.mdn import (
    AsyncMdnResult,
    MemoryPendingMdns,
    OnMdn,
    PendingMdns,
    StorePendingMdns,
)
from procurelink.adapters.channels.as2.receiver import create_as2_receiver
from procurelink.adapters.channels.as2.settings import As2Settings
from procurelink.adapters.channels.directory.channel import DirectoryChannel
from procurelink.adapters.channels.directory.settings import DirectorySettings
from procurelink.adapters.channels.email.channel import EmailChannel
from procurelink.adapters.channels.email.settings import EmailSettings
from procurelink.adapters.channels.http.channel import HttpWebhookChannel
from procurelink.adapters.channels.http.settings import HttpWebhookSettings
from procurelink.adapters.channels.sftp.channel import SftpChannel
from procurelink.adapters.channels.sftp.settings import SftpSettings
from procurelink.adapters.channels.sftp_server.channel import EmbeddedSftpChannel
from procurelink.adapters.channels.sftp_server.server import EmbeddedSftpServer
from procurelink.adapters.channels.sftp_server.settings import (
    EmbeddedSftpSettings,
    SftpServerSettings,
    SupplierAccount,
)
from procurelink.adapters.clock import SystemClock
from procurelink.adapters.odoo.buyers import OdooBuyerDirectory
from procurelink.adapters.odoo.gateway import OdooGateway
from procurelink.adapters.odoo.limits import instance_key, shared_limits
from procurelink.adapters.odoo.rpc import OdooRpc
from procurelink.adapters.odoo_sim.access import BUYER_LOGIN, BUYER_PASSWORD
from procurelink.adapters.odoo_sim.server import create_app as create_simulator_app
from procurelink.adapters.odoo_sim.server import serve as serve_simulator
from procurelink.adapters.partners.yaml_directory import (
    PartnerRegistry,
    ProfileProblem,
    load_profiles,
)
from procurelink.adapters.store import create_store
from procurelink.adapters.store import migrate as migrate_store
from procurelink.codecs.edifact import dialect as edifact_dialect
from procurelink.codecs.edifact.codec import EdifactCodec
from procurelink.codecs.flatfile import FlatFileCodec
from procurelink.codecs.json_api.carrier import CarrierEventCodec
from procurelink.codecs.json_api.codec import JsonCodec
from procurelink.codecs.x12 import dialect as x12_dialect
from procurelink.codecs.x12.codec import X12Codec
from procurelink.domain.partner_profile import ChannelSpec, PartnerProfile
from procurelink.errors import ConfigurationError, ProcurelinkError
from procurelink.ports.buyers import BuyerDirectory
from procurelink.ports.channel import InboundChannel, MailNotifier, OutboundChannel
from procurelink.ports.codec import Codec
from procurelink.ports.erp import ErpGateway, HookInfo
from procurelink.ports.erp_reads import ErpReads
from procurelink.ports.store import MessageStore
from procurelink.services.acknowledgments import APPLY_JOB, AcknowledgmentService
from procurelink.services.approvals import ApprovalService
from procurelink.services.console_access import ConsoleAccess
from procurelink.services.context import Deps
from procurelink.services.delivery_receipts import DeliveryReceiptService, ReceiptNotice
from procurelink.services.dispatch import DELIVER_JOB, DispatchService
from procurelink.services.erp_hooks import ErpHookService
from procurelink.services.erp_sync import SNAPSHOT_JOB, ErpSyncService
from procurelink.services.functional_acks import FunctionalAckService
from procurelink.services.intake import DECODE_JOB, CaptureResult, IntakeService, pull
from procurelink.services.invoices import INVOICE_JOB, InvoiceService
from procurelink.services.jobs import JobRunner, RunResult, replay_dead_job
from procurelink.services.peer_share import PeerShare
from procurelink.services.planning_access import PlanningAccess
from procurelink.services.quality import QUALITY_HOLD_JOB, QualityService
from procurelink.services.queries import Queries
from procurelink.services.receipts import RECEIPT_JOB, ReceiptService
from procurelink.services.rfqs import RfqService
from procurelink.services.shipments import SHIP_NOTICE_JOB, ShipmentService
from procurelink.services.supplier_access import SupplierAccess
from procurelink.settings import Settings
from procurelink.workflow.retry import RetryPolicy

CODECS: dict[str, Callable[[], Codec]] = {
    "x12-004010": X12Codec,
    "json": JsonCodec,
    "csv": FlatFileCodec,
    "edifact": EdifactCodec,
    "carrier-json": CarrierEventCodec,
}

CHANNEL_SETTINGS: dict[str, type[BaseModel]] = {
    "directory": DirectorySettings,
    "http-webhook": HttpWebhookSettings,
    "email": EmailSettings,
    "as2": As2Settings,
    "sftp": SftpSettings,
    "sftp-server": EmbeddedSftpSettings,
}


def _outbound(
    profile: PartnerProfile,
    spec: ChannelSpec,
    client: httpx.AsyncClient,
    pending_mdns: PendingMdns,
) -> Any:
    options = _channel_settings(spec)
    if isinstance(options, DirectorySettings):
        return DirectoryChannel(profile.id, options)
    if isinstance(options, HttpWebhookSettings):
        secret = profile.shared_secret.get_secret_value() if profile.shared_secret else None
        return HttpWebhookChannel(profile.id, options, secret, client)
    if isinstance(options, EmailSettings):
        return EmailChannel(profile.id, options)
    if isinstance(options, SftpSettings):
        return SftpChannel(profile.id, options)
    if isinstance(options, EmbeddedSftpSettings):
        return EmbeddedSftpChannel(profile.id, options)
    if isinstance(options, As2Settings):
        return As2Channel(profile.id, options, client, pending=pending_mdns)
    raise ConfigurationError(f"{profile.id}: channel {spec.type} cannot send")


def _inbound(profile: PartnerProfile, spec: ChannelSpec) -> InboundChannel | None:
    options = _channel_settings(spec)
    if isinstance(options, DirectorySettings):
        return DirectoryChannel(profile.id, options)
    if isinstance(options, EmailSettings):
        return EmailChannel(profile.id, options)
    if isinstance(options, SftpSettings):
        return SftpChannel(profile.id, options)
    if isinstance(options, EmbeddedSftpSettings):
        return EmbeddedSftpChannel(profile.id, options)
    # HTTP and AS2 partners push to procurelink's API: nothing to poll.
    return None


# Retries per job kind: Odoo writes back off longer, so a struggling Odoo is not hammered.
log = logging.getLogger("procurelink")

RETRY_POLICIES: dict[str, RetryPolicy] = {
    DECODE_JOB: RetryPolicy(max_attempts=3),
    SNAPSHOT_JOB: RetryPolicy(max_attempts=10),
    DELIVER_JOB: RetryPolicy(max_attempts=12),
    APPLY_JOB: RetryPolicy(max_attempts=10),
    SHIP_NOTICE_JOB: RetryPolicy(max_attempts=10),
    # Not idempotent in Odoo: a retry after a lost answer would validate the backorder
    # too (receive twice). One attempt; a failed job is buried for an operator to check.
    RECEIPT_JOB: RetryPolicy(max_attempts=1),
    # Idempotent: the job looks for the vendor's bill with the invoice number before creating.
    INVOICE_JOB: RetryPolicy(max_attempts=10),
    # Likewise: a retry could move the goods to quarantine twice.
    QUALITY_HOLD_JOB: RetryPolicy(max_attempts=1),
}


def _channel_settings(spec: ChannelSpec) -> BaseModel:
    model = CHANNEL_SETTINGS.get(spec.type)
    if model is None:
        raise ConfigurationError(
            f"unknown channel type {spec.type!r} (known: {', '.join(sorted(CHANNEL_SETTINGS))})"
        )
    return model.model_validate(spec.model_dump())


# Partner mapping checks per syntax (the part of codec.type before "-").
_DIALECT_CHECKS = {"x12": x12_dialect.check, "edifact": edifact_dialect.check}


def check_profile(profile: PartnerProfile) -> list[str]:
    """Problems with a profile's codec and channel options, as readable lines."""
    problems: list[str] = []
    if profile.codec.type not in CODECS:
        problems.append(
            f"codec.type: unknown codec {profile.codec.type!r} (known: {', '.join(sorted(CODECS))})"
        )
    specs = [
        (f"channels.{name}", spec)
        for name, spec in (
            ("outbound", profile.channels.outbound),
            ("inbound", profile.channels.inbound),
        )
        if spec is not None
    ]
    for where, spec in specs:
        try:
            _channel_settings(spec)
        except ConfigurationError as exc:
            problems.append(f"{where}: {exc.message}")
        except ValidationError as exc:
            problems.extend(
                f"{where}.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
    dialect_check = _DIALECT_CHECKS.get(profile.codec.type.split("-", 1)[0])
    if dialect_check is not None:
        try:
            dialect_check({"mapping": profile.mapping.model_dump()})
        except ConfigurationError as exc:
            problems.append(f"mapping: {exc.message} ({exc.details.get('found')})")
    outbound = profile.channels.outbound
    if outbound is not None and outbound.type == "http-webhook" and profile.shared_secret is None:
        problems.append("shared_secret: required to sign HTTP webhooks")
    return problems


class Router:
    """PartnerRouter: builds each partner's codec and channels once."""

    def __init__(self, client: httpx.AsyncClient, pending_mdns: PendingMdns | None = None) -> None:
        self._client = client
        # Outbound AS2 messages awaiting an asynchronous MDN: in the store when the runtime
        # builds the router (they survive a restart), in memory otherwise.
        self.pending_mdns: PendingMdns = pending_mdns or MemoryPendingMdns()
        self._codecs: dict[str, Codec] = {}
        self._out: dict[str, OutboundChannel] = {}
        self._in: dict[str, InboundChannel | None] = {}

    def codec(self, profile: PartnerProfile) -> Codec:
        if profile.id not in self._codecs:
            factory = CODECS.get(profile.codec.type)
            if factory is None:
                raise ConfigurationError(f"{profile.id}: unknown codec {profile.codec.type!r}")
            self._codecs[profile.id] = factory()
        return self._codecs[profile.id]

    def outbound(self, profile: PartnerProfile) -> OutboundChannel:
        if profile.id not in self._out:
            spec = profile.channels.outbound
            if spec is None:
                raise ConfigurationError(f"{profile.id} has no outbound channel")
            self._out[profile.id] = _outbound(profile, spec, self._client, self.pending_mdns)
        return self._out[profile.id]

    def inbound(self, profile: PartnerProfile) -> InboundChannel | None:
        if profile.id not in self._in:
            spec = profile.channels.inbound
            self._in[profile.id] = _inbound(profile, spec) if spec else None
        return self._in[profile.id]


@dataclass
class PollReport:
    snapshots: int = 0
    overdue_acks: int = 0
    captured: list[CaptureResult] = field(default_factory=list)
    errors: dict[str, ProcurelinkError] = field(default_factory=dict)


@dataclass
class Runtime:
    """Everything one procurelink process runs, wired together."""

    settings: Settings
    deps: Deps
    bus: InProcessBus
    intake: IntakeService
    acknowledgments: AcknowledgmentService
    dispatch: DispatchService
    functional_acks: FunctionalAckService
    erp_sync: ErpSyncService
    approvals: ApprovalService
    queries: Queries
    supplier_access: SupplierAccess
    planning_access: PlanningAccess
    console_access: ConsoleAccess
    rfqs: RfqService
    runner: JobRunner
    http: httpx.AsyncClient
    erp_hooks: ErpHookService
    # Splits the Odoo instance's call limits with the other processes calling it; None when
    # the ERP is not an Odoo gateway.
    odoo_share: PeerShare | None = None
    closers: list[Callable[[], Any]] = field(default_factory=list)

    async def poll_sources(self) -> PollReport:
        """One poll of Odoo and of every partner source.

        Sources are polled independently: Odoo being down must not stop suppliers' files
        from being captured, nor one supplier's broken server the others.
        """
        report = PollReport()
        try:
            report.snapshots = await self.erp_sync.poll()
        except ProcurelinkError as exc:
            report.errors["odoo"] = exc
        for profile in self.deps.partners.all():
            channel = self.deps.router.inbound(profile)
            if channel is None or not profile.active:
                continue
            try:
                report.captured.extend(await pull(self.intake, channel))
            except ProcurelinkError as exc:
                report.errors[profile.id] = exc
        # Sent interchanges whose 997/CONTRL window closed: one exception each.
        report.overdue_acks = await self.functional_acks.check_overdue()
        for source, error in report.errors.items():
            log.warning("polling %s failed: [%s] %s", source, error.code, error.message)
        return report

    def mail_notifiers(self) -> list[tuple[str, MailNotifier]]:
        """Active partners' inbound channels that announce new mail (IMAP IDLE)."""
        found: list[tuple[str, MailNotifier]] = []
        for profile in self.deps.partners.all():
            channel = self.deps.router.inbound(profile) if profile.active else None
            if isinstance(channel, MailNotifier):
                found.append((profile.id, channel))
        return found

    async def provision_odoo_hooks(self) -> list[HookInfo]:
        """Odoo automation rules that push change hints to this process's API.

        Off without ``odoo_hooks_base_url`` (Odoo must reach that URL). A failure is logged
        and not fatal: the write_date poller alone still sees every change, only later.
        """
        base_url = self.settings.odoo_hooks_base_url
        if not base_url:
            return []
        try:
            hooks = await self.erp_hooks.provision(base_url)
        except ProcurelinkError as exc:
            log.warning("Odoo change hooks not provisioned: [%s] %s", exc.code, exc.message)
            return []
        for hook in hooks:
            state = "created" if hook.created else "updated" if hook.updated else "unchanged"
            log.info(
                "Odoo change hook %s on %s: rule %s %s", hook.key, hook.model, hook.rule_id, state
            )
        return hooks

    async def share_odoo_limits(self, stop: asyncio.Event) -> None:
        """Until ``stop``: beat in the store and take this process's share of the Odoo
        instance's limits (``serve`` and ``worker`` run it beside their loops)."""
        if self.odoo_share is not None:
            await self.odoo_share.run(stop)

    async def run_once(self) -> list[RunResult]:
        """`worker --once`: poll every source once, then drain all due jobs."""
        await self.poll_sources()
        return await self.runner.drain()

    async def close(self) -> None:
        await self.deps.erp.close()
        await self.deps.store.close()
        await self.http.aclose()


async def build_runtime(
    settings: Settings,
    *,
    erp: ErpGateway | None = None,
    store: MessageStore | None = None,
    partners: PartnerRegistry | None = None,
    buyers: BuyerDirectory | None = None,
) -> Runtime:
    """``buyers``: who may sign in to the console; by default Odoo's Purchase users, checked
    through the Odoo gateway (none when ``erp`` is another gateway: sign-in then refuses)."""
    registry = partners or PartnerRegistry.from_directory(settings.partners_dir, check_profile)
    gateway = erp or OdooGateway(settings.odoo())
    if isinstance(gateway, OdooGateway):
        refs = [p.odoo.partner_ref for p in registry.all() if p.odoo.partner_ref]
        registry.resolve_refs(await gateway.partner_ids_by_ref(refs))
    http = httpx.AsyncClient()
    bus = InProcessBus()
    message_store = store or create_store(settings.store().database_url)
    deps = Deps(
        store=message_store,
        clock=SystemClock(),
        partners=registry,
        router=Router(http, StorePendingMdns(message_store)),
        erp=gateway,
        bus=bus,
        quarantine_locations=settings.quarantine_locations,
    )
    signing_key = (
        settings.token_signing_key.get_secret_value()
        if settings.token_signing_key
        else secrets.token_urlsafe(32)
    )
    if buyers is None and isinstance(gateway, OdooGateway):
        buyers = OdooBuyerDirectory(gateway.rpc)
    acks = AcknowledgmentService(deps)
    dispatch = DispatchService(deps)
    shipments = ShipmentService(deps)
    functional_acks = FunctionalAckService(deps)
    receipts = ReceiptService(deps)
    invoices = InvoiceService(deps, settings.invoice_post_policy)
    quality = QualityService(deps)
    intake = IntakeService(
        deps, acks, shipments, functional_acks, receipts, invoices=invoices, quality=quality
    )
    erp_sync = ErpSyncService(
        deps,
        dispatch,
        overlap=timedelta(seconds=settings.odoo_poll_overlap_seconds),
        initial_since=settings.odoo_sync_since,
    )
    erp_hooks = ErpHookService(
        deps, erp_sync.poll, hint_delay=timedelta(seconds=settings.odoo_hook_delay_seconds)
    )
    runner = JobRunner(
        deps,
        handlers={
            DECODE_JOB: intake.decode_job,
            SNAPSHOT_JOB: erp_sync.snapshot_job,
            DELIVER_JOB: dispatch.deliver_job,
            APPLY_JOB: acks.apply_job,
            SHIP_NOTICE_JOB: shipments.apply_job,
            RECEIPT_JOB: receipts.apply_job,
            INVOICE_JOB: invoices.apply_job,
            QUALITY_HOLD_JOB: quality.apply_job,
        },
        policies=RETRY_POLICIES,
        worker_id=settings.worker_id,
    )
    odoo_share = None
    if isinstance(gateway, OdooGateway):
        odoo = settings.odoo()
        url, db = instance_key(odoo)

        async def take_share(peers: int) -> None:
            await shared_limits(odoo).share(peers)

        odoo_share = PeerShare(deps, f"odoo:{url}:{db}", take_share)
    return Runtime(
        settings=settings,
        deps=deps,
        bus=bus,
        intake=intake,
        acknowledgments=acks,
        dispatch=dispatch,
        functional_acks=functional_acks,
        erp_sync=erp_sync,
        approvals=ApprovalService(deps),
        queries=Queries(deps),
        runner=runner,
        http=http,
        erp_hooks=erp_hooks,
        supplier_access=SupplierAccess(deps, signing_key),
        planning_access=PlanningAccess(settings.planning_clients),
        console_access=ConsoleAccess(
            deps,
            buyers,
            signing_key,
            timedelta(hours=settings.console_session_hours),
            recheck_every=timedelta(minutes=settings.console_recheck_minutes),
        ),
        rfqs=RfqService(deps),
        odoo_share=odoo_share,
    )


def load_partner_profiles(directory: Path) -> tuple[list[PartnerProfile], list[ProfileProblem]]:
    return load_profiles(directory, check=check_profile)


async def migrate(settings: Settings) -> None:
    await migrate_store(settings.store().database_url)


async def replay_job(runtime: Runtime, job_id: int) -> bool:
    return await replay_dead_job(runtime.deps, job_id)


async def serve_odoo_simulator(host: str, port: int, version: str = "17.0") -> None:
    await serve_simulator(host, port, app=create_simulator_app(version=version))


def odoo_simulator_app() -> Any:
    """A seeded Odoo simulator as an ASGI app (the demo serves it in its own loop)."""
    return create_simulator_app()


def odoo_simulator_buyer() -> tuple[str, str]:
    """Login and password of the seeded simulator's buyer (a Purchase user): the demo's
    console sign-in."""
    return BUYER_LOGIN, BUYER_PASSWORD


def odoo_rpc(settings: Settings) -> OdooRpc:
    """A raw Odoo RPC client: the demo plays the buyer through it."""
    return OdooRpc(settings.odoo())


@asynccontextmanager
async def odoo_reads(settings: Settings) -> AsyncIterator[ErpReads]:
    """The Odoo read port alone (`procurelink odoo ...`), closed on exit."""
    gateway = OdooGateway(settings.odoo())
    try:
        yield gateway.reads
    finally:
        await gateway.close()


def as2_receiver_app(runtime: Runtime) -> Any | None:
    """The AS2 endpoint for partners whose profile names an AS2 channel (None if none do)."""
    partners: dict[str, As2Settings] = {}
    for profile in runtime.deps.partners.all():
        for spec in (profile.channels.inbound, profile.channels.outbound):
            if spec is not None and spec.type == "as2":
                options = _channel_settings(spec)
                assert isinstance(options, As2Settings)
                partners[profile.id] = options
                break
    if not partners:
        return None
    router = runtime.deps.router
    assert isinstance(router, Router)
    return create_as2_receiver(
        partners,
        runtime.intake.capture,
        pending=router.pending_mdns,
        on_mdn=mdn_recorder(DeliveryReceiptService(runtime.deps)),
        client=runtime.http,
    )


def mdn_recorder(service: DeliveryReceiptService) -> OnMdn:
    """Record what an asynchronous MDN says about one of our messages."""

    async def record(result: AsyncMdnResult) -> None:
        sent = result.sent
        if sent is None:
            return  # not for a message of ours: the MDN endpoint refuses it and logs why
        report = result.report
        await service.record(
            ReceiptNotice(
                channel="as2",
                partner_id=sent.partner_id,
                message_ref=sent.message_id,
                outbound_message_id=sent.reference,
                positive=result.delivered,
                disposition=report.disposition if report else "no MDN",
                problem=result.problem,
                details=(
                    {"mdn_message_id": report.mdn_message_id, "mdn_signed_by": report.signed_by}
                    if report
                    else {}
                ),
            )
        )

    return record


def embedded_sftp_server(runtime: Runtime) -> EmbeddedSftpServer | None:
    """The embedded SFTP server with an account per `sftp-server` partner, if configured."""
    settings = runtime.settings
    if settings.sftp_server_port is None:
        return None
    accounts: dict[str, SupplierAccount] = {}
    for profile in runtime.deps.partners.all():
        for spec in (profile.channels.inbound, profile.channels.outbound):
            if spec is None or spec.type != "sftp-server":
                continue
            options = _channel_settings(spec)
            assert isinstance(options, EmbeddedSftpSettings)
            if options.root.resolve() != settings.sftp_server_root.resolve():
                raise ConfigurationError(
                    f"{profile.id}: sftp-server root {options.root} is not the server's "
                    f"root {settings.sftp_server_root} (PROCURELINK_SFTP_SERVER_ROOT)"
                )
            if options.password_hash or options.authorized_keys:
                accounts[options.username] = options.account()
    return EmbeddedSftpServer(
        SftpServerSettings(
            host=settings.sftp_server_host,
            port=settings.sftp_server_port,
            root=settings.sftp_server_root,
            host_key_path=settings.sftp_server_host_key,
            suppliers=tuple(accounts.values()),
        )
    )
