"""Zip archives at capture: the files inside become messages; zip bombs are refused whole."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from zip_making import MIB, make_zip, nested_bomb, zeros_zip

from procurelink.adapters.bus.memory import InProcessBus
from procurelink.adapters.clock import SystemClock
from procurelink.adapters.partners.yaml_directory import PartnerRegistry
from procurelink.adapters.store import SqlStore, create_store, migrate
from procurelink.domain.partner_profile import ArchiveLimits, PartnerProfile
from procurelink.ports.channel import InboundItem
from procurelink.ports.records import ExceptionStatus, JobStatus
from procurelink.services.archives import ArchiveLimitExceeded, unpack
from procurelink.services.context import Deps
from procurelink.services.intake import IntakeService


def profile(**archives: Any) -> PartnerProfile:
    return PartnerProfile.model_validate(
        {
            "id": "sw",
            "name": "SW",
            "odoo": {"partner_id": 1},
            "codec": {"type": "csv"},
            "channels": {"outbound": {"type": "directory"}},
            "archives": archives,
        }
    )


async def service_for(tmp_path: Path, partner: PartnerProfile) -> tuple[IntakeService, SqlStore]:
    url = f"sqlite:///{tmp_path / f'{os.urandom(4).hex()}.db'}"
    await migrate(url)
    store = create_store(url)
    deps = Deps(
        store=store,
        clock=SystemClock(),
        partners=PartnerRegistry([partner]),
        router=None,
        erp=None,
        bus=InProcessBus(),
    )  # type: ignore[arg-type]
    return IntakeService(deps, None, None), store  # type: ignore[arg-type]


@pytest.fixture
async def intake(tmp_path: Path) -> AsyncIterator[tuple[IntakeService, SqlStore]]:
    service, store = await service_for(tmp_path, profile())
    yield service, store
    await store.close()


def item(
    body: bytes, filename: str = "batch.zip", content_type: str = "application/zip"
) -> InboundItem:
    return InboundItem(
        partner_id="sw",
        channel="email",
        filename=filename,
        content_type=content_type,
        body=body,
        received_at=datetime.now(UTC),
        handle="h",
        metadata={"email.uid": "7"},
    )


async def stored(store: SqlStore) -> tuple[list[str], list[tuple[str, str]]]:
    """Queued decode jobs' message file names, and open exceptions (code, message)."""
    async with store.unit_of_work() as uow:
        names = []
        for job in await uow.jobs.list(status=JobStatus.QUEUED):
            message = await uow.messages.get(str(job.payload["message_id"]))
            assert message is not None
            names.append(message.filename or "")
        exceptions = [
            (x.reason_code, x.message)
            for x in await uow.exceptions.list(status=ExceptionStatus.OPEN)
        ]
    return sorted(names), exceptions


async def test_the_files_in_a_zip_are_captured_and_the_zip_kept_as_evidence(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    body = make_zip({"acks/ACK_1.csv": b"a;1\r\n", "855_2.x12": b"ISA*00~", "docs/": b""})
    result = await service.capture(item(body))
    assert result.accepted
    assert await stored(store) == (["855_2.x12", "ACK_1.csv"], [])
    async with store.unit_of_work() as uow:
        archive = await uow.messages.get(result.message_id)
        assert archive is not None and archive.body == body
        assert archive.metadata["evidence_only"] == "true"
        assert archive.metadata["archive.members"] == "2"
        job = (await uow.jobs.list(status=JobStatus.QUEUED))[0]
        member = await uow.messages.get(str(job.payload["message_id"]))
    assert member is not None
    assert member.metadata["archive.message_id"] == result.message_id
    assert member.metadata["archive.member"] in ("acks/ACK_1.csv", "855_2.x12")
    assert member.metadata["email.uid"] == "7"
    assert member.content_type in ("text/csv", "application/edi-x12")


async def test_a_real_nested_zip_bomb_is_refused_and_kept_as_evidence(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    bomb = nested_bomb()  # 1.6 GB once unpacked
    assert len(bomb) < 4 * MIB
    result = await service.capture(item(bomb, filename="invoices.zip"))
    assert not result.accepted
    jobs, [(code, message)] = await stored(store)
    assert jobs == []
    assert code == "archive_limit_exceeded"
    assert "max_depth" in message and "invoices.zip" in message
    async with store.unit_of_work() as uow:
        kept = await uow.messages.get(result.message_id)
    assert kept is not None and kept.body == bomb


async def test_the_bomb_stops_at_the_ratio_long_before_it_expands(tmp_path: Path) -> None:
    # Deep nesting allowed: the first 16 MiB of zeros (1000:1) crosses the ratio limit.
    service, store = await service_for(tmp_path, profile(max_depth=5))
    try:
        result = await service.capture(item(nested_bomb(), filename="invoices.zip"))
        assert not result.accepted
        _, [(code, message)] = await stored(store)
        assert code == "archive_limit_exceeded" and "max_ratio" in message
        assert "batch-0.zip/part-0.zip/zeros.csv" in message
    finally:
        await store.close()


def test_the_ratio_is_checked_while_decompressing_not_after() -> None:
    body = zeros_zip(64)
    [info] = zipfile.ZipFile(io.BytesIO(body)).infolist()
    limits = ArchiveLimits()
    with pytest.raises(ArchiveLimitExceeded) as caught:
        unpack(body, "z.zip", limits)
    assert caught.value.details["limit"] == "max_ratio"
    # Stopped within one read of where the ratio is crossed, not after 64 MiB.
    so_far = int(str(caught.value).split("over ")[1].split(" ")[0])
    crossing = max(limits.ratio_applies_above_bytes, limits.max_ratio * info.compress_size)
    assert crossing < so_far <= crossing + 64 * 1024
    assert so_far < 16 * MIB


async def test_total_size_limit(tmp_path: Path) -> None:
    service, store = await service_for(tmp_path, profile(max_total_bytes=10_000))
    try:
        files = {f"f{i}.csv": os.urandom(4000) for i in range(3)}  # incompressible
        assert not (await service.capture(item(make_zip(files)))).accepted
        _, [(code, message)] = await stored(store)
        assert code == "archive_limit_exceeded"
        assert "max_total_bytes = 10000" in message
    finally:
        await store.close()


async def test_entry_count_limit(tmp_path: Path) -> None:
    service, store = await service_for(tmp_path, profile(max_entries=3))
    try:
        body = make_zip({f"f{i}.csv": b"x;1" for i in range(4)})
        assert not (await service.capture(item(body))).accepted
        jobs, [(code, message)] = await stored(store)
        assert jobs == [] and code == "archive_limit_exceeded"
        assert "more than 3 files" in message and "max_entries" in message
    finally:
        await store.close()


async def test_a_zip_inside_a_zip_is_unpacked_up_to_the_depth_limit(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    inner = make_zip({"ACK_9.csv": b"b;2"})
    result = await service.capture(item(make_zip({"week.zip": inner, "ACK_8.csv": b"c;3"})))
    assert result.accepted
    assert await stored(store) == (["ACK_8.csv", "ACK_9.csv"], [])


async def test_a_damaged_zip_is_refused_as_unreadable(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    body = make_zip({"ACK_1.csv": b"a;1\r\n" * 200})
    broken = body[:60] + bytes(40) + body[100:]
    assert not (await service.capture(item(broken))).accepted
    _, [(code, message)] = await stored(store)
    assert code == "archive_unreadable" and "batch.zip" in message


async def test_an_xlsx_is_a_document_not_an_archive(
    intake: tuple[IntakeService, SqlStore],
) -> None:
    service, store = intake
    body = make_zip({"[Content_Types].xml": b"<Types/>"})
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert (await service.capture(item(body, "prices.xlsx", xlsx))).accepted
    assert await stored(store) == (["prices.xlsx"], [])


def test_encrypted_members_are_refused() -> None:
    body = bytearray(make_zip({"secret.csv": b"a;1"}, zipfile.ZIP_STORED))
    body[6] |= 0x1  # the local header's "encrypted" flag
    central = body.rfind(b"PK\x01\x02")
    body[central + 8] |= 0x1  # and the central directory's
    with pytest.raises(Exception, match="encrypted") as caught:
        unpack(bytes(body), "s.zip", ArchiveLimits())
    assert getattr(caught.value, "code", None) == "archive_unreadable"
