"""Text whose encoding is not what it says (or says nothing): decoded or refused, never guessed
silently into mojibake.

Partners declare an encoding (an EDIFACT syntax level, X12's agreed charset, JSON's UTF-8, an
e-mail part's charset) and then send something else: Windows-1252 from an ERP export, UTF-16
from a spreadsheet, UTF-8 in a Latin-1 envelope. Bytes that are valid in what was declared
are read as declared; otherwise charset-normalizer (the same detector the flat-file codec
uses) names the encoding, and input it cannot recognise is refused with ``UnknownEncoding``
naming what was declared and where the first invalid byte is.

Used by codecs and channels alike, so it lives beside ``errors`` below every layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from charset_normalizer import from_bytes

from procurelink.errors import MalformedMessage


class UnknownEncoding(MalformedMessage):
    """The bytes are not valid text in the declared encoding, and no encoding fits them."""

    code = "unknown_encoding"


_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    detected: bool  # True when the declared encoding did not fit and another was found


# What European EDI partners actually send when their envelope says otherwise. Short EDI
# messages give a detector little to go on: without this list it may pick a Baltic or
# Cyrillic code page for a German name.
EDI_CANDIDATES = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2")


def decode_declared(
    data: bytes,
    declared: str,
    what: str = "message",
    candidates: tuple[str, ...] | None = None,
    **details: Any,
) -> DecodedText:
    """``data`` as ``declared`` when valid; else as detected; else UnknownEncoding."""
    try:
        return DecodedText(data.decode(declared), declared, detected=False)
    except UnicodeDecodeError as exc:
        return detect(
            data, what, declared=declared, offset=exc.start, candidates=candidates, **details
        )


def detect(
    data: bytes,
    what: str = "message",
    *,
    declared: str | None = None,
    offset: int | None = None,
    candidates: tuple[str, ...] | None = None,
    **details: Any,
) -> DecodedText:
    """The text of ``data`` in the encoding charset-normalizer recognises (among
    ``candidates`` when given), or UnknownEncoding."""
    best = from_bytes(data, cp_isolation=list(candidates) if candidates else None).best()
    # Control characters mean binary data, whatever the detector made of it.
    if best is not None and best.encoding and not _CONTROLS.search(str(best)):
        return DecodedText(str(best), best.encoding, detected=True)
    # Too little text for the detector (a short EDI message): the first candidate that reads
    # it as clean text, without control characters, which binary data always has.
    for encoding in candidates or ():
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _CONTROLS.search(text):
            return DecodedText(text, encoding, detected=True)
    said = f"not valid {declared}" if declared else "in no declared encoding"
    where = f" (first invalid byte at offset {offset})" if offset is not None else ""
    raise UnknownEncoding(
        f"{what} is {said}{where} and its encoding cannot be recognised",
        declared=declared,
        offset=offset,
        **details,
    )
