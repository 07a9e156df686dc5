"""The e-mail channel against a real Dovecot (run as nobody) and an aiosmtpd server."""

from __future__ import annotations

import asyncio
import io
import re
import time
import uuid
import zipfile
import zlib
from collections.abc import Iterator

import pytest
from dovecot import (
    MAILBOX_USER,
    SUPPLIER,
    USERS,
    Dovecot,
    Mailbox,
    free_port,
    run_dovecot,
    supplier_mail,
)
from pydantic import ValidationError
from smtp_sink import SMTP_PASSWORD, SMTP_USER, SmtpSink, run_smtp_sink

from procurelink.adapters.channels.email.channel import EmailChannel
from procurelink.adapters.channels.email.imap_session import imap_session
from procurelink.adapters.channels.email.settings import (
    EmailSettings,
    ImapSettings,
    SmtpSettings,
)
from procurelink.entrypoints.worker import TIMEOUT, wait_for_work
from procurelink.errors import PermanentError, TransientError
from procurelink.ports.channel import META_ORDER_NUMBER, OutboundPayload

EDI = b"ISA*00*          *00*          *ZZ*SUPPLIER       *ZZ*ACMEMFG        ~\n\x00\xff"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    with run_dovecot() as server:
        yield server


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with run_smtp_sink() as server:
        yield server


@pytest.fixture
async def folder(dovecot: Dovecot) -> str:
    name = f"in-{uuid.uuid4().hex[:8]}"
    await Mailbox(dovecot).create(name)
    return name


@pytest.fixture
def mailbox(dovecot: Dovecot) -> Mailbox:
    return Mailbox(dovecot)


def imap(dovecot: Dovecot, folder: str, **overrides: object) -> ImapSettings:
    options: dict[str, object] = {
        "host": dovecot.host,
        "port": dovecot.port,
        "tls": "plain",
        "username": MAILBOX_USER,
        "password": USERS[MAILBOX_USER],
        "mailbox": folder,
        "processed_folder": f"{folder}-processed",
        "error_folder": f"{folder}-error",
        "timeout_seconds": 5,
    }
    return ImapSettings.model_validate({**options, **overrides})


def reader(dovecot: Dovecot, folder: str, **options: object) -> EmailChannel:
    imap_overrides = options.pop("imap", {})
    assert isinstance(imap_overrides, dict)
    settings = EmailSettings.model_validate(
        {"imap": imap(dovecot, folder, **imap_overrides), "allowed_senders": [SUPPLIER], **options}
    )
    return EmailChannel("steelworks", settings)


def sender(sink: SmtpSink, **smtp: object) -> EmailChannel:
    settings = EmailSettings(
        smtp=SmtpSettings.model_validate(
            {"host": sink.host, "port": sink.port, "tls": "plain", "timeout_seconds": 5, **smtp}
        ),
        from_address="purchasing@acme.test",
        to_addresses=(SUPPLIER,),
        subject_template="PO {order_number} [{correlation_id}]",
    )
    return EmailChannel("steelworks", settings)


def po(key: str = "msg-0001", order_number: str = "PO00042") -> OutboundPayload:
    return OutboundPayload(
        partner_id="steelworks",
        filename="850_PO00042_000000001.x12",
        content_type="application/edi-x12",
        body=EDI,
        correlation_id="corr-42",
        idempotency_key=key,
        metadata={"order_number": order_number},
    )


# --- inbound ------------------------------------------------------------------------------


async def test_several_attachments_move_only_after_all_are_acknowledged(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"855_1.x12": b"one", "invoice.pdf": b"%PDF-"}))
    channel = reader(dovecot, folder)
    items = await channel.poll()
    assert [(i.filename, i.content_type) for i in items] == [
        ("855_1.x12", "application/edi-x12"),
        ("invoice.pdf", "application/pdf"),
        (items[2].filename, "message/rfc822"),
    ]
    assert {i.metadata["email.uid"] for i in items} == {items[0].metadata["email.uid"]}

    await channel.acknowledge(items[0], accepted=True)
    await channel.acknowledge(items[2], accepted=True)
    assert len(await mailbox.messages(folder)) == 1  # one item still unconfirmed
    assert [i.filename for i in await channel.poll()] == ["invoice.pdf"]

    await channel.acknowledge(items[1], accepted=True)
    assert await mailbox.messages(folder) == []
    assert await mailbox.attachment_names(f"{folder}-processed") == ["855_1.x12", "invoice.pdf"]
    assert await channel.poll() == []


async def test_one_refused_item_sends_the_message_to_the_error_folder(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"a.csv": b"a;1", "b.csv": b""}))
    channel = reader(dovecot, folder, keep_raw_message=False)
    first, second = await channel.poll()
    await channel.acknowledge(first, accepted=True)
    await channel.acknowledge(second, accepted=False, reason="b.csv is empty")
    assert await mailbox.attachment_names(f"{folder}-error") == ["a.csv", "b.csv"]
    assert await mailbox.messages(f"{folder}-processed") == []


async def test_a_zip_attachment_is_offered_as_an_archive_for_intake_to_unpack(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ACK_1.csv", "Bestellung;Pos\r\nP1;1\r\n")
    await mailbox.append(folder, supplier_mail({"acks.zip": buffer.getvalue()}))
    [archive_item] = await reader(dovecot, folder, keep_raw_message=False).poll()
    assert (archive_item.filename, archive_item.content_type) == ("acks.zip", "application/zip")
    assert archive_item.body == buffer.getvalue()


async def test_the_raw_email_is_kept_as_evidence(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    raw = supplier_mail({"855_1.x12": EDI}, message_id="<ack-42@supplier.test>")
    await mailbox.append(folder, raw)
    *_, evidence = await reader(dovecot, folder).poll()
    assert evidence.content_type == "message/rfc822"
    assert evidence.body == raw
    assert evidence.filename is not None and evidence.filename.endswith(".eml")
    assert evidence.metadata["email.part"] == "message"
    assert evidence.metadata["email.message_id"] == "<ack-42@supplier.test>"
    assert evidence.metadata["email.from"] == f"Supplier Sales <{SUPPLIER}>"
    assert evidence.metadata["email.subject"] == "Order response"
    assert evidence.metadata["email.uid"].isdigit()


async def test_a_mail_without_a_document_is_still_captured_whole(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"logo.png": b"\x89PNG"}))
    [item] = await reader(dovecot, folder, keep_raw_message=False).poll()
    assert item.content_type == "message/rfc822"
    assert item.metadata["email.no_attachment"] == "true"


def raw_mail(body: bytes, content_type: str = "text/plain") -> bytes:
    """A mail as old mailers write it: 8-bit body, charset as given (or none)."""
    return (
        f"From: Supplier Sales <{SUPPLIER}>\r\nTo: {MAILBOX_USER}\r\n"
        "Subject: Bestellung P00042\r\nMessage-ID: <body@supplier.test>\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + body


GERMAN_BODY = (
    "Wir bestätigen Ihre Bestellung P00042. Liefertermin: 12.12., Größe unverändert \u2013 Grüße"
)


async def test_a_body_without_a_charset_is_read_in_the_encoding_it_has(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, raw_mail(GERMAN_BODY.encode("cp1252")))
    [item] = await reader(dovecot, folder).poll()
    assert item.metadata["email.body"] == GERMAN_BODY
    assert item.metadata["email.body_encoding"].endswith("(detected)")
    assert "refusal" not in item.metadata


async def test_a_body_with_a_wrong_charset_is_read_in_the_encoding_it_has(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    wrong = raw_mail(GERMAN_BODY.encode("cp1252"), "text/plain; charset=utf-8")
    right = raw_mail(GERMAN_BODY.encode("utf-8"), "text/plain; charset=utf-8")
    await mailbox.append(folder, wrong)
    await mailbox.append(folder, right)
    first, second = await reader(dovecot, folder).poll()
    assert first.metadata["email.body"] == second.metadata["email.body"] == GERMAN_BODY
    assert second.metadata["email.body_encoding"] == "utf-8"


async def test_a_body_no_encoding_can_read_is_refused_with_the_reason(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, raw_mail(b"\x00\x81\xff\xfe" + bytes(range(1, 32)) * 4))
    [item] = await reader(dovecot, folder).poll()
    assert item.metadata["refusal_code"] == "unknown_encoding"
    assert "e-mail body (no charset declared)" in item.metadata["refusal"]


async def test_mail_from_an_unknown_sender_is_not_captured(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}, sender="sales@stranger.test"))
    await mailbox.append(folder, supplier_mail({"855.x12": b"y"}, sender="x@supplier.test.evil"))
    channel = reader(dovecot, folder)
    assert await channel.poll() == []
    # Left in place for the profile (or person) it belongs to.
    assert len(await mailbox.messages(folder)) == 2


async def test_unmatched_folder_takes_strangers_mail_in_a_dedicated_mailbox(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}, sender="sales@stranger.test"))
    await mailbox.append(folder, supplier_mail({"855.x12": b"ours"}))
    channel = reader(dovecot, folder, imap={"unmatched_folder": f"{folder}-unmatched"})
    assert [i.body for i in await channel.poll() if i.filename == "855.x12"] == [b"ours"]
    [stranger] = await mailbox.messages(f"{folder}-unmatched")
    assert stranger["From"] == "Supplier Sales <sales@stranger.test>"


async def test_a_whole_domain_can_be_allowed(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}, sender="EDI@Supplier.test"))
    channel = reader(dovecot, folder, allowed_senders=["@supplier.test"])
    assert (await channel.poll())[0].filename == "855.x12"


async def test_drafts_are_not_captured(dovecot: Dovecot, folder: str, mailbox: Mailbox) -> None:
    await mailbox.append(folder, supplier_mail({"855.x12": b"half"}), r"(\Draft)")
    assert await reader(dovecot, folder).poll() == []


async def test_oversized_attachment_is_returned_flagged(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"big.csv": b"x" * 2000, "ok.csv": b"1"}))
    big, ok, _ = await reader(dovecot, folder, max_attachment_bytes=1000).poll()
    assert big.body == b"x" * 2000
    assert big.metadata["refusal_code"] == "message_too_large"
    assert "2000 bytes" in big.metadata["refusal"]
    assert "refusal" not in ok.metadata


async def test_oversized_message_is_not_downloaded(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"big.csv": b"x" * 5000}))
    [item] = await reader(dovecot, folder, max_message_bytes=4000).poll()
    assert item.content_type == "message/rfc822"
    assert b"x" * 100 not in item.body and b"Subject: Order response" in item.body
    assert item.metadata["email.truncated"] == "true"
    assert "only its header" in item.metadata["refusal"]


async def test_hostile_file_names_are_reduced_to_a_base_name(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"../../etc/855.x12": b"x", ".hidden.csv": b"y"}))
    names = [i.filename for i in await reader(dovecot, folder, keep_raw_message=False).poll()]
    assert names == ["855.x12", "attachment-2.csv"]


async def test_idle_wakes_up_on_new_mail(dovecot: Dovecot, folder: str, mailbox: Mailbox) -> None:
    channel = reader(dovecot, folder)
    await channel.poll()  # what a worker does before waiting
    started = time.monotonic()
    waiting = asyncio.create_task(channel.wait_for_mail(10))
    await asyncio.sleep(0.3)
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}))
    assert await waiting is True
    assert time.monotonic() - started < 5
    assert (await channel.poll())[0].filename == "855.x12"


async def test_the_worker_wakes_on_new_mail_instead_of_waiting_out_its_interval(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    channel = reader(dovecot, folder)
    await channel.poll()  # the worker's round before it waits
    started = time.monotonic()
    waiting = asyncio.create_task(wait_for_work(asyncio.Event(), [("steelworks", channel)], 30))
    await asyncio.sleep(0.3)
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}))
    assert await waiting == "steelworks"
    assert time.monotonic() - started < 5


async def test_the_worker_falls_back_to_its_interval_when_idle_fails(
    dovecot: Dovecot, folder: str
) -> None:
    channel = reader(dovecot, folder, imap={"password": "wrong"})
    started = time.monotonic()
    assert await wait_for_work(asyncio.Event(), [("steelworks", channel)], 0.5) == TIMEOUT
    assert time.monotonic() - started >= 0.49


async def test_idle_times_out_without_mail(dovecot: Dovecot, folder: str) -> None:
    channel = reader(dovecot, folder)
    await channel.poll()
    started = time.monotonic()
    assert await channel.wait_for_mail(0.5) is False
    assert 0.4 < time.monotonic() - started < 3


async def test_mail_arrived_since_the_last_poll_wakes_at_once(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    channel = reader(dovecot, folder)
    await channel.poll()
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}))
    started = time.monotonic()
    assert await channel.wait_for_mail(10) is True
    assert time.monotonic() - started < 2


async def test_copy_fallback_when_the_server_has_no_move(
    dovecot: Dovecot, folder: str, mailbox: Mailbox
) -> None:
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}))
    async with imap_session(imap(dovecot, folder)) as session:
        session.capabilities.discard("MOVE")
        await session.select(folder)
        [uid] = await session.search("ALL")
        await session.move([uid], f"{folder}-elsewhere")
    assert await mailbox.messages(folder) == []
    assert await mailbox.attachment_names(f"{folder}-elsewhere") == ["855.x12"]


async def test_wrong_imap_password_is_permanent(dovecot: Dovecot, folder: str) -> None:
    channel = reader(dovecot, folder, imap={"password": "wrong"})
    with pytest.raises(PermanentError) as caught:
        await channel.poll()
    assert "wrong" not in str(caught.value)
    assert caught.value.code == "mail_authentication_failed"


async def test_missing_mailbox_is_permanent(dovecot: Dovecot) -> None:
    with pytest.raises(PermanentError):
        await reader(dovecot, "no-such-folder").poll()


async def test_imap_server_down_is_transient() -> None:
    settings = EmailSettings(
        imap=ImapSettings(
            host="127.0.0.1",
            port=free_port(),
            tls="plain",
            username="u@acme.test",
            password="secret-pw",
            timeout_seconds=2,
        ),
        allowed_senders=(SUPPLIER,),
    )
    channel = EmailChannel("steelworks", settings)
    with pytest.raises(TransientError) as caught:
        await channel.poll()
    assert isinstance(caught.value.__cause__, OSError)
    assert "secret-pw" not in str(caught.value)
    with pytest.raises(TransientError):
        await channel.wait_for_mail(1)


# --- outbound -----------------------------------------------------------------------------


async def test_sent_mail_carries_the_correlation_id_in_header_and_subject(
    sink: SmtpSink,
) -> None:
    receipt = await sender(sink).send(po())
    [mail] = sink.received
    assert mail.message["X-Procurelink-Correlation-Id"] == "corr-42"
    assert mail.message["Subject"] == "PO PO00042 [corr-42]"
    assert mail.recipients == [SUPPLIER]
    assert sink.attachments() == {"850_PO00042_000000001.x12": EDI}
    assert receipt.channel == "email"
    assert receipt.details["message_id"] == mail.message["Message-ID"]


async def test_a_csv_order_goes_out_with_a_printable_pdf_copy(sink: SmtpSink) -> None:
    csv_order = b"Bestellung;Pos;Artikel;Menge\r\nP00042;1;FD-933-M10X40;1200\r\n"
    settings = EmailSettings(
        smtp=SmtpSettings(host=sink.host, port=sink.port, tls="plain"),
        from_address="purchasing@acme.test",
        to_addresses=(SUPPLIER,),
        attach_pdf=True,
    )
    payload = OutboundPayload(
        partner_id="fastener",
        filename="PO_P00042.csv",
        content_type="text/csv",
        body=csv_order,
        correlation_id="corr-42",
        idempotency_key="msg-pdf",
        metadata={META_ORDER_NUMBER: "P00042"},
    )
    await EmailChannel("fastener", settings).send(payload)
    [mail] = sink.received
    assert mail.message["Subject"] == "Purchase order P00042 [corr-42]"
    attachments = sink.attachments()
    assert attachments["PO_P00042.csv"] == csv_order
    pdf = attachments["PO_P00042.pdf"]
    assert pdf.startswith(b"%PDF-")
    # The table's cells are in the PDF's text (fpdf2 writes uncompressed text when asked
    # to; by default streams are zlib-compressed, so inflate them to look).
    text = b"".join(
        zlib.decompress(s) for s in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S)
    )
    assert b"FD-933-M10X40" in text and b"P00042" in text


async def test_a_retried_send_has_the_same_message_id(sink: SmtpSink) -> None:
    channel = sender(sink)
    await channel.send(po(key="msg-0001"))
    await channel.send(po(key="msg-0001"))
    await channel.send(po(key="msg-0002"))
    ids = [m.message["Message-ID"] for m in sink.received]
    assert ids[0] == ids[1] != ids[2]
    assert ids[0] == "<procurelink.msg-0001@acme.test>"


async def test_smtp_login(sink: SmtpSink) -> None:
    await sender(sink, username=SMTP_USER, password=SMTP_PASSWORD).send(po())
    assert len(sink.received) == 1


async def test_wrong_smtp_password_is_permanent(sink: SmtpSink) -> None:
    with pytest.raises(PermanentError) as caught:
        await sender(sink, username=SMTP_USER, password="wrong-pw").send(po())
    assert "wrong-pw" not in str(caught.value)
    assert sink.received == []


async def test_refused_recipient_is_permanent(sink: SmtpSink) -> None:
    channel = EmailChannel(
        "steelworks",
        EmailSettings(
            smtp=SmtpSettings(host=sink.host, port=sink.port, tls="plain"),
            from_address="purchasing@acme.test",
            to_addresses=("orders@refused.test",),
        ),
    )
    with pytest.raises(PermanentError) as caught:
        await channel.send(po())
    assert "550" in str(caught.value)


async def test_one_refused_recipient_of_two_is_reported_not_raised(sink: SmtpSink) -> None:
    channel = EmailChannel(
        "steelworks",
        EmailSettings(
            smtp=SmtpSettings(host=sink.host, port=sink.port, tls="plain"),
            from_address="purchasing@acme.test",
            to_addresses=(SUPPLIER, "orders@refused.test"),
        ),
    )
    receipt = await channel.send(po())
    assert receipt.details["recipients"] == [SUPPLIER]
    assert "orders@refused.test" in receipt.details["refused"]


# --- settings -----------------------------------------------------------------------------


def test_plain_text_is_only_allowed_on_loopback() -> None:
    with pytest.raises(ValidationError, match="loopback"):
        ImapSettings(host="imap.example.com", tls="plain", username="u", password="p")
    assert ImapSettings(host="::1", tls="plain").effective_port == 143
    assert ImapSettings(host="imap.example.com").effective_port == 993
    assert SmtpSettings(host="smtp.example.com").effective_port == 587


def test_templates_only_know_their_placeholders() -> None:
    smtp = SmtpSettings(host="smtp.example.com")
    with pytest.raises(ValidationError, match="unknown placeholder"):
        EmailSettings(
            smtp=smtp,
            from_address="a@acme.test",
            to_addresses=("b@supplier.test",),
            subject_template="{order_number.__class__}",
        )


def test_reading_mail_needs_the_suppliers_addresses() -> None:
    with pytest.raises(ValidationError, match="allowed_senders"):
        EmailSettings(imap=ImapSettings(host="imap.example.com"))


# --- TLS ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
async def test_tls_modes_reach_the_mailbox(
    dovecot: Dovecot, folder: str, mailbox: Mailbox, mode: str
) -> None:
    await mailbox.append(folder, supplier_mail({"855.x12": b"x"}))
    port = dovecot.port if mode == "starttls" else dovecot.tls_port
    channel = reader(dovecot, folder, imap={"tls": mode, "port": port, "ca_file": dovecot.ca_file})
    assert (await channel.poll())[0].filename == "855.x12"


async def test_an_untrusted_certificate_is_permanent(dovecot: Dovecot, folder: str) -> None:
    channel = reader(dovecot, folder, imap={"tls": "ssl", "port": dovecot.tls_port})
    with pytest.raises(PermanentError, match="certificate"):
        await channel.poll()


async def test_starttls_really_upgrades_the_connection(dovecot: Dovecot, folder: str) -> None:
    settings = imap(dovecot, folder, tls="starttls", ca_file=dovecot.ca_file)
    async with imap_session(settings) as session:
        assert session.client.protocol.transport.get_extra_info("ssl_object") is not None
        assert "STARTTLS" not in session.capabilities  # asked again after the upgrade
