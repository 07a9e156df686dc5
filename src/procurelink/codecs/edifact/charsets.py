"""Syntax identifiers (UNB S001.0001): how the bytes are read and which characters are allowed.

The identifier sits inside UNB, which is itself ASCII, so it is read from the bytes before
they are decoded. Levels A and B are checked against their ISO 9735 repertoires; the
ISO 8859 levels (C to F) allow every printable character of their part; UNOW/UNOY are read as
UTF-8 (edi.md section 3.1). A character outside the level is refused with its offset,
because a wrong character in an item number is worse than a rejected message.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from procurelink.text_encoding import EDI_CANDIDATES, UnknownEncoding, decode_declared, detect

log = logging.getLogger(__name__)

_LEVEL_A = "A-Z0-9 .,\\-()/='+:?!\"%&*;<>"
# Syntax identifier -> (Python codec, allowed characters as a regex class body or None for
# "any printable character of the codec").
LEVELS: dict[str, tuple[str, str | None]] = {
    "UNOA": ("latin-1", _LEVEL_A),
    "UNOB": ("latin-1", _LEVEL_A + "a-z"),
    "UNOC": ("latin-1", None),
    "UNOD": ("iso8859-2", None),
    "UNOE": ("iso8859-5", None),
    "UNOF": ("iso8859-7", None),
    "UNOW": ("utf-8", None),
    "UNOY": ("utf-8", None),
}
# C0 and C1 controls never belong in data; CR and LF between segments are tolerated.
_CONTROLS = "\\x00-\\x09\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
_SYNTAX_ID = re.compile(rb"UNB(.)(UNO[A-Z])")


def syntax_id_of(data: bytes) -> str | None:
    """The syntax identifier of the first UNB, read from the raw bytes (None if not found)."""
    start = data.find(b"UNB")
    if start < 0:
        return None
    match = _SYNTAX_ID.match(data, start)
    return match.group(2).decode("ascii") if match else None


def codec_of(syntax_id: str) -> str:
    return LEVELS.get(syntax_id, ("latin-1", None))[0]


_C1 = re.compile("[\x80-\x9f]")


def decode(data: bytes) -> str:
    """Text of the bytes in the encoding the first interchange declares (BOM removed).

    Bytes that are not valid for the declared level (not UTF-8 under UNOW/UNOY; C1 control
    codes under the ISO 8859 levels, which is what Windows-1252 quotes and UTF-8 look like
    there) are read in the encoding charset-normalizer recognises, or refused as
    UnknownEncoding. The level's repertoire is still checked on the text afterwards.
    """
    data = data.removeprefix(b"\xef\xbb\xbf")
    syntax_id = syntax_id_of(data)
    codec = codec_of(syntax_id) if syntax_id else "latin-1"
    decoded = decode_declared(
        data,
        codec,
        f"EDIFACT interchange ({syntax_id or 'no syntax identifier'})",
        EDI_CANDIDATES,
        syntax_identifier=syntax_id,
        syntax_error="21",
    )
    text = decoded.text
    # ASCII text (most interchanges) has no C1 codes: one C-level pass instead of a regex scan.
    check = not decoded.detected and codec != "utf-8" and not text.isascii()
    wrong = _C1.search(text) if check else None
    if wrong is None:
        if decoded.detected:
            log.warning("EDIFACT %s interchange read as %s", syntax_id, decoded.encoding)
        return text
    found = detect(
        data,
        f"EDIFACT interchange ({syntax_id})",
        declared=codec,
        offset=wrong.start(),
        candidates=EDI_CANDIDATES,
        syntax_identifier=syntax_id,
        syntax_error="21",
    )
    if _C1.search(found.text):
        raise UnknownEncoding(
            f"EDIFACT interchange ({syntax_id}) has control characters at offset "
            f"{wrong.start()} in every encoding that fits it",
            syntax_identifier=syntax_id,
            offset=wrong.start(),
            syntax_error="21",
        )
    log.warning("EDIFACT %s interchange read as %s", syntax_id, found.encoding)
    return found.text


@lru_cache(maxsize=64)
def _forbidden(syntax_id: str, service: str) -> re.Pattern[str]:
    allowed = LEVELS[syntax_id][1]
    if allowed is None:
        return re.compile(f"[{_CONTROLS}]")
    # Service characters declared in UNA are always allowed (ISO 9735), as are CR/LF.
    return re.compile(f"[^{allowed}{re.escape(service)}\\r\\n]")


def first_invalid(text: str, start: int, end: int, syntax_id: str, service: str) -> int | None:
    """Offset of the first character outside the level's repertoire in ``text[start:end]``."""
    if syntax_id not in LEVELS:
        return None
    if _plainly_valid(text[start:end], syntax_id, service):
        return None
    match = _forbidden(syntax_id, service).search(text, start, end)
    return match.start() if match else None


def _plainly_valid(text: str, syntax_id: str, service: str) -> bool:
    """True when no character can be outside the level, proved by C-level string methods.

    The regex scan costs dozens of instructions a character (a twentieth of a decode); these
    take a few. False proves nothing: the regex then finds the character, if there is one.
    """
    try:
        data = text.encode("latin-1")  # a copy, for the text of most interchanges
    except UnicodeEncodeError:
        if LEVELS[syntax_id][1] is None:
            # Every forbidden character (C0, DEL, C1) is unprintable; CR/LF are allowed.
            return text.replace("\r", "").replace("\n", "").isprintable()
        return False
    # Deleting every allowed byte leaves exactly the characters the regex would find (a
    # character below 256 is its own byte): a few instructions a byte, where isprintable
    # took tens a character.
    return not data.translate(None, _allowed_bytes(syntax_id, service))


@lru_cache(maxsize=64)
def _allowed_bytes(syntax_id: str, service: str) -> bytes:
    pattern = _forbidden(syntax_id, service)
    return bytes(b for b in range(256) if not pattern.fullmatch(chr(b)))
