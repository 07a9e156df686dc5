"""Whatever the bytes, decode and validate return results or raise procurelink errors only."""

from __future__ import annotations

from edifact_support import SAMPLES, codec, decode_ctx, sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procurelink.codecs.edifact.validation import acknowledgments, validate
from procurelink.errors import ProcurelinkError

BYTES = [sample(name) for name in SAMPLES]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
# Bytes that matter to EDIFACT: service characters, digits, tag letters, line breaks.
_EDI_BYTES = st.sampled_from([*b":+.? '\n\r0123456789UNABHTZGEDMQLINRFX*~>#", 0xFF, 0xC3])


def _decodes_or_raises_own_error(data: bytes) -> None:
    try:
        documents = codec.decode(data, decode_ctx())
    except ProcurelinkError:
        pass
    else:
        assert all(d.partner_id == "steelworks" for d in documents)
    # The collector never raises: it reports.
    validate(data, decode_ctx())
    acknowledgments(data, decode_ctx(), only_requested=False)


@st.composite
def mutated_samples(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(BYTES)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["replace", "delete", "insert", "duplicate"]))
        if operation == "replace":
            data[at] = draw(_EDI_BYTES)
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif operation == "insert":
            data[at:at] = bytes(draw(st.lists(_EDI_BYTES, min_size=1, max_size=12)))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    _decodes_or_raises_own_error(data)


@FUZZ
@given(mutated_samples())
def test_mutated_samples(data: bytes) -> None:
    _decodes_or_raises_own_error(data)


@FUZZ
@given(st.lists(_EDI_BYTES, max_size=400).map(bytes))
def test_edifact_alphabet_noise(data: bytes) -> None:
    _decodes_or_raises_own_error(b"UNA:+.? 'UNB+UNOC:3+" + data)
