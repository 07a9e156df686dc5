"""APERAK -> ApplicationResponse (edi.md section 4.8): a business-level accept or reject.

The referenced document is the first RFF (the order number ``ON`` preferred); each ERC
application error takes the FTX texts that follow it as its message. Error codes are
partner-specific and kept as sent. BGM 1225 ``27`` (not accepted) rejects; errors without a
rejection mean "accepted with errors"; otherwise the document was accepted.
"""

from __future__ import annotations

from procurelink.codecs.edifact.common import MessageContext
from procurelink.codecs.edifact.envelope import Interchange, Message
from procurelink.codecs.edifact.problems import MISSING
from procurelink.domain.acknowledgment import AckStatus, ApplicationError, ApplicationResponse


def decode(m: MessageContext, interchange: Interchange, message: Message) -> ApplicationResponse:
    bgm = next((s for s in message.segments if s.tag == "BGM"), None)
    if bgm is None or not bgm.get(2, 1):
        raise m.place.error("APERAK without BGM document number", bgm, 2, syntax_error=MISSING)
    refs: list[tuple[str, str]] = []
    errors: list[tuple[str, list[str]]] = []
    for segment in message.segments:
        if segment.tag == "RFF" and segment.get(1, 2):
            refs.append((segment.get(1, 1), segment.get(1, 2)))
        elif segment.tag == "ERC":
            errors.append((segment.get(1, 1), []))
        elif segment.tag == "FTX" and errors:
            errors[-1][1].append(" ".join(p for p in segment.components(4) if p))
    reference = next((r for r in refs if r[0] == "ON"), refs[0] if refs else None)
    if bgm.get(3) == "27":
        status = AckStatus.REJECTED
    else:
        status = AckStatus.ACCEPTED_WITH_ERRORS if errors else AckStatus.ACCEPTED
    return ApplicationResponse(
        **m.ids,
        response_number=bgm.get(2, 1),
        refers_to_document=reference[1] if reference else None,
        refers_to_type=reference[0] if reference else None,
        status=status,
        errors=tuple(
            ApplicationError(
                code=code or "?",
                message=" ".join(t for t in texts if t) or code or "no text",
                reference=reference[1] if reference else None,
            )
            for code, texts in errors
        ),
    )
