"""The X12 checks by name, and where each one lands in a 997/999 or TA1.

Every error the codec raises for a broken rule carries ``rule`` in its details. The rule
decides the level of the problem (interchange, group, transaction set, segment, element)
and the code an acknowledgment reports for it (edi.md sections 1.2, 1.5 and 2.7). Errors
raised without a rule are classified by ``classify``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from procurelink.errors import InvalidDate, MalformedMessage, ProcurelinkError


class Level(StrEnum):
    INTERCHANGE = "interchange"
    GROUP = "group"
    TRANSACTION = "transaction"
    SEGMENT = "segment"
    ELEMENT = "element"


class Rule(StrEnum):
    # Interchange (TA105 note codes)
    ISA_SYNTAX = "isa_syntax"
    ISA_DATE = "isa_date"
    ISA_CONTROL = "isa_control"
    ISA_USAGE = "isa_usage"
    IEA_COUNT = "iea_count"
    IEA_CONTROL = "iea_control"
    IEA_MISSING = "iea_missing"
    UNEXPECTED_OUTSIDE_GROUP = "unexpected_outside_group"
    # Functional group (AK905)
    GROUP_NOT_SUPPORTED = "group_not_supported"
    GS_CONTROL = "gs_control"
    GS_DATE = "gs_date"
    GE_COUNT = "ge_count"
    GE_CONTROL = "ge_control"
    GE_MISSING = "ge_missing"
    # Transaction set (AK502 / IK502)
    SET_NOT_SUPPORTED = "set_not_supported"
    FUNCTIONAL_ID = "functional_id"
    SE_MISSING = "se_missing"
    SE_CONTROL = "se_control"
    SE_COUNT = "se_count"
    ST_CONTROL = "st_control"
    ST_DUPLICATE = "st_duplicate"
    CANONICAL_MODEL = "canonical_model"
    # Segment (AK304 / IK304)
    SEGMENT_ID = "segment_id"
    UNEXPECTED_SEGMENT = "unexpected_segment"
    MISSING_SEGMENT = "missing_segment"
    COUNT_MISMATCH = "count_mismatch"
    # Element (AK403 / IK403)
    MANDATORY_ELEMENT = "mandatory_element"
    INVALID_CHARACTER = "invalid_character"
    INVALID_CODE = "invalid_code"
    INVALID_DATE = "invalid_date"
    INVALID_TIME = "invalid_time"
    CHECK_DIGIT = "check_digit"


# Rule -> (level, code in the acknowledgment of that level).
ACK_CODES: dict[Rule, tuple[Level, str]] = {
    Rule.ISA_SYNTAX: (Level.INTERCHANGE, "024"),
    Rule.ISA_DATE: (Level.INTERCHANGE, "014"),
    Rule.ISA_CONTROL: (Level.INTERCHANGE, "018"),
    Rule.ISA_USAGE: (Level.INTERCHANGE, "020"),
    Rule.IEA_COUNT: (Level.INTERCHANGE, "021"),
    Rule.IEA_CONTROL: (Level.INTERCHANGE, "001"),
    Rule.IEA_MISSING: (Level.INTERCHANGE, "023"),
    Rule.UNEXPECTED_OUTSIDE_GROUP: (Level.INTERCHANGE, "024"),
    Rule.GROUP_NOT_SUPPORTED: (Level.GROUP, "1"),
    Rule.GS_CONTROL: (Level.GROUP, "6"),
    Rule.GS_DATE: (Level.GROUP, "6"),
    Rule.GE_COUNT: (Level.GROUP, "5"),
    Rule.GE_CONTROL: (Level.GROUP, "4"),
    Rule.GE_MISSING: (Level.GROUP, "3"),
    Rule.SET_NOT_SUPPORTED: (Level.TRANSACTION, "1"),
    Rule.FUNCTIONAL_ID: (Level.TRANSACTION, "6"),
    Rule.SE_MISSING: (Level.TRANSACTION, "2"),
    Rule.SE_CONTROL: (Level.TRANSACTION, "3"),
    Rule.SE_COUNT: (Level.TRANSACTION, "4"),
    Rule.ST_CONTROL: (Level.TRANSACTION, "7"),
    Rule.ST_DUPLICATE: (Level.TRANSACTION, "23"),
    Rule.CANONICAL_MODEL: (Level.TRANSACTION, "5"),
    Rule.SEGMENT_ID: (Level.SEGMENT, "1"),
    Rule.UNEXPECTED_SEGMENT: (Level.SEGMENT, "2"),
    Rule.MISSING_SEGMENT: (Level.SEGMENT, "3"),
    Rule.COUNT_MISMATCH: (Level.SEGMENT, "8"),
    Rule.MANDATORY_ELEMENT: (Level.ELEMENT, "1"),
    Rule.INVALID_CHARACTER: (Level.ELEMENT, "6"),
    Rule.INVALID_CODE: (Level.ELEMENT, "7"),
    Rule.INVALID_DATE: (Level.ELEMENT, "8"),
    Rule.INVALID_TIME: (Level.ELEMENT, "9"),
    Rule.CHECK_DIGIT: (Level.ELEMENT, "7"),
}


def classify(error: ProcurelinkError) -> Rule:
    """The rule an error broke: its own ``rule`` detail, else guessed from type and place."""
    details: dict[str, Any] = dict(error.details)
    rule = details.get("rule")
    if rule is not None:
        return Rule(rule)
    if isinstance(error, InvalidDate):
        return Rule.INVALID_DATE
    if details.get("element_index") is not None:
        if isinstance(error, MalformedMessage):
            return Rule.INVALID_CHARACTER
        return Rule.INVALID_CODE
    if details.get("segment_id") is not None and details.get("transaction") is not None:
        return Rule.COUNT_MISMATCH
    if details.get("transaction") is not None:
        return Rule.CANONICAL_MODEL
    if details.get("group") is not None:
        return Rule.GROUP_NOT_SUPPORTED
    return Rule.ISA_SYNTAX
