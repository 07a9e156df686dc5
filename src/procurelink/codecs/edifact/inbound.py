"""Bytes to checked interchanges: the first steps of decoding and of validation alike."""

from __future__ import annotations

from collections.abc import Iterator

from procurelink.codecs.edifact import charsets
from procurelink.codecs.edifact.envelope import Interchange, open_interchange
from procurelink.codecs.edifact.problems import UNSUPPORTED_SYNTAX, Place, Sink
from procurelink.codecs.edifact.syntax import interchanges
from procurelink.errors import EmptyMessage


def read_text(data: bytes) -> str:
    text = charsets.decode(data)
    if not text.strip():
        raise EmptyMessage()
    return text


def read_interchanges(text: str, sink: Sink) -> Iterator[Interchange]:
    """Each interchange, its envelope checked by ``sink``'s rules.

    The text was decoded with the first interchange's syntax level; a later interchange that
    declares another encoding cannot be read correctly and is reported.
    """
    file_codec: str | None = None
    for raw in interchanges(text):
        interchange = open_interchange(raw, text, sink)
        codec = charsets.codec_of(interchange.syntax_id)
        if file_codec is None:
            file_codec = codec
        elif codec != file_codec:
            sink.report(
                Place(interchange.control or None).problem(
                    "interchanges of one file declare different character encodings",
                    raw.segments[0],
                    1,
                    1,
                    syntax_error=UNSUPPORTED_SYNTAX,
                    expected=file_codec,
                    found=codec,
                )
            )
        yield interchange
