"""The AS2 channel against real HTTP: two procurelink endpoints, and pyas2lib as the peer.

Everything runs through uvicorn on a loopback port; certificates are generated per session.
"""

from __future__ import annotations

import asyncio
import re
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from as2_support import NOW, Identity, Inbox, Switchboard, identity, serving, settings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from procurelink.adapters.channels.as2 import _oscrypto_compat
from procurelink.adapters.channels.as2.channel import As2Channel
from procurelink.adapters.channels.as2.mdn import AsyncMdnResult, MemoryPendingMdns
from procurelink.adapters.channels.as2.receiver import create_as2_receiver
from procurelink.adapters.channels.as2.settings import PartnerCertificate
from procurelink.errors import PermanentError, TransientError
from procurelink.ports.channel import OutboundPayload

# LF line ends and non-ASCII bytes: a text canonicalisation would change them.
EDI = b"ISA*00*          *00*          *ZZ*ACMEMFG        *ZZ*SUPPLIER       ~\nGS*PO~\n\x00\xff"

A, B = identity("ACME"), identity("SUPPLIER")


def payload(body: bytes = EDI, name: str = "850_1.x12", key: str = "k-1") -> OutboundPayload:
    return OutboundPayload(
        partner_id="supplier",
        filename=name,
        content_type="application/edi-x12",
        body=body,
        correlation_id="corr-1",
        idempotency_key=key,
    )


@pytest.fixture(scope="module")
def board() -> Iterator[Switchboard]:
    board = Switchboard()
    with serving(board) as url:
        board.url = url
        yield board


def receiver_b(
    board: Switchboard,
    prefix: str,
    theirs: Identity | list[PartnerCertificate] = A,
    clock: Callable[[], datetime] | None = None,
) -> tuple[str, Inbox]:
    """Procurelink as the supplier SUPPLIER, receiving from ACME (partner id "acme")."""
    inbox = Inbox()
    profile = settings(B, theirs, as2_id="SUPPLIER", partner_as2_id="ACME")
    if clock is None:
        app = create_as2_receiver({"acme": profile}, inbox.capture)
    else:
        app = create_as2_receiver({"acme": profile}, inbox.capture, clock=clock)
    return board.plug(prefix, app), inbox


# One HTTP client per test, as bootstrap shares one: a client per send would load the CA
# bundle each time, which is most of the cost of a send here.
_client: httpx.AsyncClient | None = None


@pytest.fixture(autouse=True)
async def http_client() -> AsyncIterator[httpx.AsyncClient]:
    global _client
    async with httpx.AsyncClient() as client:
        _client = client
        yield client
    _client = None


def sender_a(
    url: str,
    ours: Identity = A,
    theirs: Identity | list[PartnerCertificate] = B,
    **options: Any,
) -> As2Channel:
    """Procurelink as ACME, sending to SUPPLIER (partner id "supplier")."""
    profile = settings(
        ours, theirs, as2_id="ACME", partner_as2_id="SUPPLIER", partner_url=url, **options
    )
    return As2Channel("supplier", profile, client=_client)


# --- the oscrypto fix ----------------------------------------------------------------------

BROKEN = re.compile(r"\b(\d\.\d\.\d[a-z]*)\b")  # oscrypto 1.3.0
FIXED = re.compile(r"\b(\d\.\d\.\d+[a-z]*)\b")  # oscrypto master, applied by the patch


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter: nothing imported yet, no finder installed."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


def test_oscrypto_pattern_is_what_fails_on_this_openssl() -> None:
    assert BROKEN.search("OpenSSL 3.0.19 27 Jan 2026") is None
    assert FIXED.search("OpenSSL 3.0.19 27 Jan 2026").group(1) == "3.0.19"
    assert FIXED.search("OpenSSL 1.1.1w  11 Sep 2023").group(1) == "1.1.1w"
    assert FIXED.search("OpenSSL 3.0.2 15 Mar 2022").group(1) == "3.0.2"


def test_installed_oscrypto_still_has_the_broken_probe() -> None:
    """The patch matches the installed source exactly. When this fails, oscrypto changed:
    if ``import pyas2lib`` works without ``_oscrypto_compat``, delete the module."""
    import importlib.util

    for name in sorted(_oscrypto_compat.PROBE_MODULES):
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.origin is not None
        assert Path(spec.origin).read_text().count(_oscrypto_compat.BROKEN_PATTERN) == 1, name


def test_without_the_patch_pyas2lib_does_not_import() -> None:
    if BROKEN.search(ssl.OPENSSL_VERSION):
        pytest.skip(f"{ssl.OPENSSL_VERSION} has a one-digit patch number: oscrypto reads it")
    result = _python("import pyas2lib")
    assert result.returncode != 0
    assert "LibraryNotFoundError: Error detecting the version of libcrypto" in result.stderr


@pytest.mark.parametrize("backend", ["cffi", "ctypes"])
def test_with_the_patch_pyas2lib_imports_and_reads_the_version(backend: str) -> None:
    select = "import oscrypto; oscrypto.use_ctypes()\n" if backend == "ctypes" else ""
    result = _python(
        f"{select}"
        "import sys, ssl\n"
        "import procurelink.adapters.channels.as2\n"
        "import pyas2lib\n"
        "from oscrypto._openssl._libcrypto import libcrypto_version_info as v\n"
        "finder = next(f for f in sys.meta_path if hasattr(f, 'patched'))\n"
        "print('.'.join(map(str, v[:3])), sorted(finder.patched.items()))\n"
    )
    assert result.returncode == 0, result.stderr
    version, patched = result.stdout.split(" ", 1)
    assert version in ssl.OPENSSL_VERSION  # the library Python's ssl module uses too
    assert f"('oscrypto._openssl._libcrypto_{backend}', True)" in patched


# --- procurelink to procurelink ------------------------------------------------------------


async def test_round_trip_signed_encrypted_compressed_with_sync_mdn(board: Switchboard) -> None:
    url, inbox = receiver_b(board, "rt-b")
    receipt = await sender_a(url, compress=True).send(payload())
    [item] = inbox.items
    assert (item.body, item.filename, item.content_type) == (
        EDI,
        "850_1.x12",
        "application/edi-x12",
    )
    assert item.partner_id == "acme" and item.channel == "as2"
    assert item.metadata["encrypted"] == item.metadata["compressed"] == "true"
    assert "CN=ACME" in item.metadata["signed_by"]
    assert receipt.details["mdn"] == "processed"
    assert receipt.details["message_id"] == item.metadata["as2_message_id"]
    assert receipt.details["mic"] and "CN=SUPPLIER" in receipt.details["mdn_signed_by"]

    # ...and back: SUPPLIER answers ACME through ACME's own receiver.
    back_inbox = Inbox()
    acme = settings(A, B, as2_id="ACME", partner_as2_id="SUPPLIER")
    back_url = board.plug("rt-a", create_as2_receiver({"supplier": acme}, back_inbox.capture))
    supplier = As2Channel(
        "acme",
        settings(B, A, as2_id="SUPPLIER", partner_as2_id="ACME", partner_url=back_url),
    )
    answer = await supplier.send(payload(b"855 answer\n", "855_1.x12", "k-back"))
    assert [i.body for i in back_inbox.items] == [b"855 answer\n"]
    assert answer.details["mdn"] == "processed"


async def test_refused_capture_still_gives_a_positive_mdn_with_a_warning(
    board: Switchboard,
) -> None:
    url, inbox = receiver_b(board, "dup-b")
    inbox.refuse = "repeats message 42"
    receipt = await sender_a(url).send(payload())
    assert receipt.details["mdn"] == "processed/Warning: repeats message 42"
    assert len(inbox.items) == 1  # stored as evidence by capture


async def test_capture_failure_answers_503_so_the_partner_retries(board: Switchboard) -> None:
    url, inbox = receiver_b(board, "fail-b")
    inbox.fail = True
    with pytest.raises(TransientError, match="503"):
        await sender_a(url).send(payload())


async def test_async_mdn_is_matched_to_the_message(board: Switchboard) -> None:
    url, inbox = receiver_b(board, "async-b")
    pending = MemoryPendingMdns()
    settled: list[AsyncMdnResult] = []

    async def on_mdn(result: AsyncMdnResult) -> None:
        settled.append(result)

    acme = settings(A, B, as2_id="ACME", partner_as2_id="SUPPLIER")
    mdn_url = board.plug(
        "async-a",
        create_as2_receiver({"supplier": acme}, Inbox().capture, pending=pending, on_mdn=on_mdn),
    )
    profile = settings(
        A,
        B,
        as2_id="ACME",
        partner_as2_id="SUPPLIER",
        partner_url=url,
        mdn_mode="async",
        mdn_url=mdn_url + "mdn",
    )
    channel = As2Channel("supplier", profile, client=_client, pending=pending)
    receipt = await channel.send(payload())
    assert receipt.details["mdn"] == "pending"
    for _ in range(200):
        if settled:
            break
        await asyncio.sleep(0.02)
    [result] = settled
    assert result.delivered and result.report is not None
    assert result.report.original_message_id == receipt.details["message_id"]
    assert result.sent is not None and result.sent.mic == receipt.details["mic"]
    assert pending.waiting() == [] and [i.body for i in inbox.items] == [EDI]


# --- refusals ------------------------------------------------------------------------------


async def test_wrong_partner_certificate_is_refused_and_nothing_captured(
    board: Switchboard,
) -> None:
    url, inbox = receiver_b(board, "wrong-b", theirs=identity("STRANGER", key="spare"))
    with pytest.raises(PermanentError, match="authentication-failed") as err:
        await sender_a(url).send(payload())
    assert "signature does not verify" in err.value.message
    assert inbox.items == []


async def test_unsigned_payload_is_refused_when_signing_is_required(board: Switchboard) -> None:
    url, inbox = receiver_b(board, "unsigned-b")
    with pytest.raises(PermanentError, match="insufficient-message-security") as err:
        await sender_a(url, sign=False).send(payload())
    assert "must be signed" in err.value.message
    assert inbox.items == []


async def test_expired_partner_certificate_is_refused(board: Switchboard) -> None:
    expired = identity("ACME", key="ACME", valid_from_days=-400, valid_days=30)
    url, inbox = receiver_b(board, "expired-b", theirs=expired)
    with pytest.raises(PermanentError, match="authentication-failed") as err:
        await sender_a(url, ours=expired).send(payload())
    assert "not valid now" in err.value.message
    assert inbox.items == []


async def test_negative_mdn_for_decryption_failure(board: Switchboard) -> None:
    url, inbox = receiver_b(board, "decrypt-b")
    # ACME believes SUPPLIER's newest certificate is one SUPPLIER has no key for.
    impostor = identity("SUPPLIER-NEW", key="spare", valid_from_days=0)
    sender = sender_a(url, theirs=[B.certificate(), impostor.certificate()])
    with pytest.raises(PermanentError, match="decryption-failed") as err:
        await sender.send(payload())
    assert err.value.details["mdn_status"] == "processed/Error"
    assert inbox.items == []


async def test_certificate_rotation_with_overlap(board: Switchboard) -> None:
    old = identity("ACME", key="ACME", valid_from_days=-300, valid_days=310)  # ends in ~10 days
    new = identity("ACME", key="spare", valid_from_days=-5, valid_days=365)
    both = [old.certificate(), new.certificate()]
    url, inbox = receiver_b(board, "rot-b", theirs=both)
    await sender_a(url, ours=old).send(payload(b"old", key="k-old"))
    await sender_a(url, ours=new).send(payload(b"new", key="k-new"))
    assert [i.body for i in inbox.items] == [b"old", b"new"]

    later = NOW + timedelta(days=20)  # the old certificate has expired by then
    url, inbox = receiver_b(board, "rot-later-b", theirs=both, clock=lambda: later)
    with pytest.raises(PermanentError, match="not valid now"):
        await sender_a(url, ours=old).send(payload(b"old", key="k-old-2"))
    await sender_a(url, ours=new).send(payload(b"new", key="k-new-2"))
    assert [i.body for i in inbox.items] == [b"new"]


def test_outbound_encrypts_to_the_newest_valid_certificate() -> None:
    old = identity("SUPPLIER", key="SUPPLIER", valid_from_days=-300, valid_days=310)
    new = identity("SUPPLIER", key="spare", valid_from_days=-5, valid_days=365)
    channel = sender_a("http://127.0.0.1:9/", theirs=[new.certificate(), old.certificate()])
    chosen = channel.credentials.encryption_cert(NOW)
    assert chosen is not None and chosen.cert.pem.decode() == new.cert_pem
    expired_both = channel.credentials.encryption_cert(NOW + timedelta(days=400))
    assert expired_both is None


async def test_server_errors_are_transient_and_unreachable_too(board: Switchboard) -> None:
    async def boom(_request: Request) -> Response:
        return PlainTextResponse("down", status_code=502)

    url = board.plug("boom", Starlette(routes=[Route("/", boom, methods=["POST"])]))
    with pytest.raises(TransientError, match="502"):
        await sender_a(url).send(payload())
    with pytest.raises(TransientError):
        await sender_a("http://127.0.0.1:9/").send(payload())


# --- pyas2lib as the peer ------------------------------------------------------------------


def _pyas2lib_peer_app(received: list[bytes]) -> Starlette:
    """SUPPLIER's AS2 server written with pyas2lib only (none of our channel code)."""
    from pyas2lib import as2

    org = as2.Organization("SUPPLIER", sign_key=B.bundle(), decrypt_key=B.bundle())
    partner = as2.Partner("ACME", verify_cert=A.cert_pem.encode(), sign=True, encrypt=True)

    async def inbound(request: Request) -> Response:
        head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
        message = as2.Message()
        status, _error, mdn = message.parse(
            head.encode() + b"\r\n" + await request.body(),
            find_org_partner_cb=lambda _to, _from: (org, partner),
        )
        if status == "processed":
            received.append(message.content)
        return Response(mdn.content, headers=mdn.headers)

    return Starlette(routes=[Route("/", inbound, methods=["POST"])])


async def test_our_sender_to_a_pyas2lib_receiver(board: Switchboard) -> None:
    received: list[bytes] = []
    url = board.plug("peer-in", _pyas2lib_peer_app(received))
    receipt = await sender_a(url, compress=True).send(payload())
    assert received == [EDI]
    assert receipt.details["mdn"] == "processed"


async def test_a_pyas2lib_sender_to_our_receiver(board: Switchboard) -> None:
    from pyas2lib import as2

    url, inbox = receiver_b(board, "peer-out")
    org = as2.Organization("ACME", sign_key=A.bundle(), decrypt_key=A.bundle())
    partner = as2.Partner(
        "SUPPLIER",
        verify_cert=B.cert_pem.encode(),
        encrypt_cert=B.cert_pem.encode(),
        sign=True,
        encrypt=True,
        compress=True,
        enc_alg="aes_256_cbc",
        mdn_mode="SYNC",
        mdn_digest_alg="sha256",
    )
    message = as2.Message(org, partner)
    # pyas2lib sends non-octet-stream payloads as text (CRLF line ends): use CRLF here.
    body = b"ISA*00~\r\nGS*PR~\r\n"
    message.build(body, filename="855.x12", content_type="application/edi-x12")
    async with httpx.AsyncClient() as client:
        response = await client.post(url, content=message.content, headers=message.headers)
    head = "".join(f"{k}: {v}\r\n" for k, v in response.headers.items())
    status, detail = as2.Mdn().parse(
        head.encode() + b"\r\n" + response.content, lambda _mid, _rcpt: message
    )
    assert (status, detail) == ("processed", None)
    assert [(i.body, i.filename) for i in inbox.items] == [(body, "855.x12")]


async def test_an_mdn_with_the_wrong_mic_proves_nothing(board: Switchboard) -> None:
    """A pyas2lib receiver whose MDN echoes another MIC: delivery is not proven."""
    from pyas2lib import as2

    org = as2.Organization("SUPPLIER", sign_key=B.bundle(), decrypt_key=B.bundle())
    partner = as2.Partner("ACME", verify_cert=A.cert_pem.encode(), sign=True, encrypt=True)

    async def inbound(request: Request) -> Response:
        head = "".join(f"{k}: {v}\r\n" for k, v in request.headers.items())
        message = as2.Message()
        message.parse(
            head.encode() + b"\r\n" + await request.body(),
            find_org_partner_cb=lambda _to, _from: (org, partner),
        )
        message.mic = b"bm90IHRoZSBtaWMgd2Ugc2VudA=="
        mdn = as2.Mdn(mdn_mode="SYNC")
        mdn.build(message=message, status="processed")
        return Response(mdn.content, headers=mdn.headers)

    url = board.plug("bad-mic", Starlette(routes=[Route("/", inbound, methods=["POST"])]))
    with pytest.raises(PermanentError, match="MIC mismatch"):
        await sender_a(url).send(payload())


async def test_unknown_partner_is_refused_and_nothing_captured(board: Switchboard) -> None:
    url, inbox = receiver_b(board, "unknown-b")
    nobody = settings(A, B, as2_id="NOBODY", partner_as2_id="SUPPLIER", partner_url=url)
    with pytest.raises(PermanentError):
        await As2Channel("supplier", nobody, client=_client).send(payload())
    assert inbox.items == []


async def test_an_async_mdn_for_no_waiting_message_is_refused(board: Switchboard) -> None:
    acme = settings(A, B, as2_id="ACME", partner_as2_id="SUPPLIER")
    pending = MemoryPendingMdns()
    url = board.plug(
        "stray-a", create_as2_receiver({"supplier": acme}, Inbox().capture, pending=pending)
    )
    async with httpx.AsyncClient() as client:
        response = await client.post(
            url + "mdn", content=b"hello", headers={"Content-Type": "text/plain"}
        )
    assert response.status_code == 400
    assert "waiting" in response.text
