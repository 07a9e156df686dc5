"""Whatever the bytes, decode returns documents or raises a procurelink error, nothing else."""

from __future__ import annotations

import contextlib
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from x12_support import FIXTURES, decode_ctx, encode_ctx, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.codecs.x12.validation import validate
from procurelink.errors import InvalidDocument, ProcurelinkError

codec = X12Codec()
# Every sample, so that every decoder (850 ... 999) and the validator meet broken input.
SAMPLES = [sample(p.name) for p in sorted((FIXTURES / "x12").glob("*.x12"))]
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
# Bytes that matter to X12: delimiters, digits, segment ids' letters, line breaks.
_X12_BYTES = st.sampled_from([*b"*~>:^|'\n\r 0123456789ISAGESTEPOACKB-.", 0xFF, 0xEF])


def _decodes_or_raises_own_error(data: bytes) -> None:
    try:
        documents = codec.decode(data, decode_ctx(currency="EUR"))
    except ProcurelinkError:
        documents = None
    if documents is not None:
        assert all(d.partner_id == "steelworks" for d in documents)
    # The validator never raises; it may be stricter than the decoder (it checks elements
    # no mapper reads), never more lenient.
    report = validate(data, {"currency": "EUR"})
    assert documents is not None or not report.valid
    # A sender whose envelope cannot be answered is the only refusal.
    with contextlib.suppress(InvalidDocument):
        codec.generate_functional_acks(data, encode_ctx(datetime(2024, 1, 1), 1, 1))


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["replace", "delete", "insert", "duplicate"]))
        if operation == "replace":
            data[at] = draw(_X12_BYTES)
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif operation == "insert":
            data[at:at] = bytes(draw(st.lists(_X12_BYTES, min_size=1, max_size=12)))
        else:
            end = at + draw(st.integers(1, 200))
            data[at:at] = data[at:end]
    return bytes(data)


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    _decodes_or_raises_own_error(data)


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_after_a_valid_isa(data: bytes) -> None:
    _decodes_or_raises_own_error(SAMPLES[0][:106] + data)


@FUZZ
@given(mutated_samples())
def test_mutated_samples(data: bytes) -> None:
    _decodes_or_raises_own_error(data)


@FUZZ
@given(st.lists(_X12_BYTES, max_size=400).map(bytes))
def test_x12_alphabet_noise(data: bytes) -> None:
    _decodes_or_raises_own_error(b"ISA" + data)
