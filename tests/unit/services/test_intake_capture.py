"""Capture rules for what channels hand over: evidence, refusals, duplicates, idempotency."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.clock import SystemClock
from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.domain.partner_profile import PartnerProfile
from procurelink.ports.channel import InboundItem
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.services.context import Deps
from procurelink.services.intake import IdempotencyConflict, IntakeService

PROFILE = PartnerProfile.model_validate(
    {
        "id": "sw",
        "name": "SW",
        "odoo": {"partner_id": 1},
        "codec": {"type": "json"},
        "channels": {"outbound": {"type": "directory"}},
        "max_message_bytes": 100,
    }
)


@pytest.fixture
async def intake(tmp_path: Path) -> AsyncIterator[tuple[IntakeService, SqlStore]]:
    url = f"sqlite:///{tmp_path / 'i.db'}"
    await migrate(url)
    store = create_store(url)
    deps = Deps(
        store=store,
        clock=SystemClock(),
        partners=PartnerRegistry([PROFILE]),
        router=None,
        erp=None,
        bus=InProcessBus(),
    )  # type: ignore[arg-type]
    yield IntakeService(deps, None, None), store  # type: ignore[arg-type]
    await store.close()


def item(body: bytes, **meta: str) -> InboundItem:
    return InboundItem(
        partner_id="sw",
        channel="email",
        filename="f",
        content_type="x",
        body=body,
        received_at=datetime.now(UTC),
        handle="h",
        metadata=meta,
    )


async def state(store: SqlStore) -> tuple[list[str], list[str]]:
    async with store.unit_of_work() as uow:
        jobs = [j.kind for j in await uow.jobs.list(status=JobStatus.QUEUED)]
        codes = [x.reason_code for x in await uow.exceptions.list(status=ExceptionStatus.OPEN)]
    return jobs, codes


async def test_a_document_is_queued_for_decoding(intake: tuple[IntakeService, SqlStore]) -> None:
    service, store = intake
    result = await service.capture(item(b'{"a": 1}'))
    assert result.accepted
    assert await state(store) == (["inbound.decode"], [])


async def test_evidence_is_kept_not_decoded(intake: tuple[IntakeService, SqlStore]) -> None:
    service, store = intake
    kept = await service.capture(item(b"From: x\r\n\r\nraw mail", evidence_only="true"))
    empty = await service.capture(
        item(b"From: y\r\n\r\nhello", evidence_only="true", no_document="true")
    )
    assert kept.accepted
    assert not empty.accepted
    assert await state(store) == ([], ["no_document"])


async def test_channel_refusals_and_size_limits(intake: tuple[IntakeService, SqlStore]) -> None:
    service, store = intake
    flagged = await service.capture(
        item(b"x", refusal="attachment over 10 MiB", refusal_code="message_too_large")
    )
    too_big = await service.capture(item(b"y" * 101))
    empty = await service.capture(item(b"  \n"))
    again = await service.capture(item(b'{"a": 2}'))
    duplicate = await service.capture(item(b'{"a": 2}'))
    assert [r.accepted for r in (flagged, too_big, empty, again, duplicate)] == [
        False,
        False,
        False,
        True,
        False,
    ]
    assert duplicate.duplicate_of == again.message_id
    jobs, codes = await state(store)
    assert jobs == ["inbound.decode"]
    assert codes == ["message_too_large", "message_too_large", "empty_message", "duplicate_message"]


async def test_idempotency_keys(intake: tuple[IntakeService, SqlStore]) -> None:
    service, _ = intake
    first = await service.capture(item(b'{"v": 1}'), idempotency_key="k1")
    same = await service.capture(item(b'{"v": 1}'), idempotency_key="k1")
    assert same.message_id == first.message_id
    with pytest.raises(IdempotencyConflict):
        await service.capture(item(b'{"v": 2}'), idempotency_key="k1")


async def test_a_channels_encoding_refusal_is_an_unknown_encoding_exception(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    result = await service.capture(
        item(
            b"From: x\r\n\r\n\x00\x81",
            evidence_only="true",
            no_document="true",
            refusal="e-mail body (no charset declared) cannot be recognised",
            refusal_code="unknown_encoding",
        )
    )
    assert not result.accepted
    assert await state(store) == ([], ["unknown_encoding"])


async def test_a_mail_without_a_document_shows_what_it_says(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    await service.capture(
        item(
            b"From: y\r\n\r\nconfirmed",
            evidence_only="true",
            no_document="true",
            **{"email.body": "Wir bestätigen\r\n  P00042."},
        )
    )
    async with store.unit_of_work() as uow:
        [exception] = await uow.exceptions.list(status=ExceptionStatus.OPEN)
    assert exception.message.endswith("It says: Wir bestätigen P00042.")
