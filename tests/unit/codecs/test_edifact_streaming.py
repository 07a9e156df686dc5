"""``edifact.streaming.decode_stream`` decodes exactly what ``iter_decode`` does.

Each input is decoded whole and as a stream read a few bytes at a time (so that windows cut
through UNA, released characters and line breaks); the documents with their envelopes, or
the first error with its type and location, must be the same.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from edifact_support import SAMPLES, decode_ctx, sample

from procurelink.codecs.edifact.listing import iter_decode
from procurelink.codecs.edifact.problems import STRICT
from procurelink.codecs.edifact.streaming import decode_stream, stream_messages
from procurelink.errors import EmptyMessage, ProcurelinkError

ORDERS = sample("ORDERS_PO00042.edi").decode()
_BODY = ORDERS[ORDERS.index("UNH") : ORDERS.index("UNZ")]
_OTHER = (
    "UNA>*,# ~\n"
    "UNB*UNOC>3*9520002000019>14*9520001000010>14*240321>0805*506~"
    "UNG*ORDERS*a*b*240321>0805*77*UN*D>96A~"
    + _BODY.replace("'\n", "~").replace("+", "*").replace(":", ">").replace("?*", "#*")
    + "UNE*1*77~UNZ*1*506~"
)


def _many(count: int) -> str:
    head = ORDERS[: ORDERS.index("UNH")]
    bodies = "".join(
        _BODY.replace("UNH+1+", f"UNH+{n}+").replace("UNT+36+1", f"UNT+36+{n}")
        for n in range(1, count + 1)
    )
    return head + bodies + f"UNZ+{count}+101'\n"


VARIANTS: dict[str, Callable[[], str]] = {
    "several messages": lambda: _many(40),
    "two interchanges, own UNA, groups": lambda: ORDERS + _OTHER,
    "no UNA": lambda: ORDERS[ORDERS.index("UNB") :],
    "no line breaks": lambda: ORDERS.replace("'\n", "'"),
    "CRLF": lambda: ORDERS.replace("'\n", "'\r\n"),
    "released terminator": lambda: ORDERS.replace("Hex nut", "Hex?'nut"),
    "UNT count": lambda: ORDERS.replace("UNT+36+1", "UNT+35+1"),
    "UNT reference": lambda: ORDERS.replace("UNT+36+1", "UNT+36+2"),
    "UNZ count": lambda: ORDERS.replace("UNZ+1+101", "UNZ+2+101"),
    "missing UNT": lambda: ORDERS.replace("UNT+36+1'\n", ""),
    "missing UNZ": lambda: ORDERS.replace("UNZ+1+101'\n", ""),
    "unterminated": lambda: ORDERS.rstrip("'\n"),
    "duplicate reference": lambda: _many(3).replace("UNH+3+", "UNH+2+").replace("+36+3'", "+36+2'"),
    "level A character": lambda: ORDERS.replace("UNOC:3", "UNOA:3"),
    "bad number": lambda: ORDERS.replace("QTY+21:1200", "QTY+21:12x0"),
    "group count": lambda: ORDERS.replace(
        "UNH+1+ORDERS", "UNG+ORDERS+a+b+240304:0915+7+UN+D:96A'UNH+1+ORDERS"
    ).replace("UNZ+1+101", "UNE+2+7'UNZ+1+101"),
    "segment outside a message": lambda: ORDERS.replace("UNZ+1+101", "BGM+220'UNZ+1+101"),
    "test indicator": lambda: ORDERS.replace("101++ORDERS++1'", "101++ORDERS++1++1'"),
    "data after UNZ": lambda: ORDERS + "garbage'",
}


def _outcome(read: Callable[[], list[object]]) -> object:
    try:
        return read()
    except ProcurelinkError as error:
        return type(error).__name__, str(error), error.details


def _whole(data: bytes) -> object:
    return _outcome(lambda: [(d.envelope, d.document) for d in iter_decode(data, decode_ctx())])


def _streamed(data: bytes, chunk_size: int) -> object:
    stream = io.BytesIO(data)
    return _outcome(
        lambda: [(d.envelope, d.document) for d in decode_stream(stream, decode_ctx(), chunk_size)]
    )


@pytest.mark.parametrize("name", sorted(VARIANTS))
@pytest.mark.parametrize("chunk_size", [5, 257, 1 << 20])
def test_stream_decodes_as_the_whole_text(name: str, chunk_size: int) -> None:
    data = VARIANTS[name]().encode("latin-1")
    assert _streamed(data, chunk_size) == _whole(data)


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_streams_as_it_decodes(name: str) -> None:
    data = sample(name)
    whole = _whole(data)
    assert isinstance(whole, list) and whole
    assert _streamed(data, 11) == whole


def test_the_stream_keeps_no_message_list() -> None:
    chunks = iter([_many(30)[i : i + 100] for i in range(0, len(_many(30)), 100)])
    seen = [(interchange, message.ref) for interchange, message in stream_messages(chunks, STRICT)]
    assert [ref for _, ref in seen] == [str(n) for n in range(1, 31)]
    interchange = seen[-1][0]
    assert interchange.messages == [] and interchange.message_count == 30


def test_empty_stream() -> None:
    with pytest.raises(EmptyMessage):
        list(decode_stream(io.BytesIO(b"\xef\xbb\xbf \r\n"), decode_ctx()))
