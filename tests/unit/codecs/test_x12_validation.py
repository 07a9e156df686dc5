"""Validation without raising: every problem, each with its place and rule."""

from __future__ import annotations

import pytest
from x12_support import FIXTURES, sample

from procurelink.codecs.x12 import X12Codec
from procurelink.codecs.x12.rules import Level, Rule
from procurelink.codecs.x12.validation import validate
from procurelink.errors import ConfigurationError, InvalidDate, MalformedMessage

codec = X12Codec()
PO_4010 = sample("850_PO00042.x12").decode()
ALL_SAMPLES = sorted(p.name for p in (FIXTURES / "x12").glob("*.x12"))


def _replace(*pairs: tuple[str, str], text: str = PO_4010) -> bytes:
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    return text.encode()


@pytest.mark.parametrize("name", ALL_SAMPLES)
def test_every_sample_validates_cleanly(name: str) -> None:
    report = validate(sample(name), {"currency": "EUR"})
    assert report.problems == []
    assert report.valid


def test_every_problem_is_collected_with_its_place() -> None:
    data = _replace(
        ("SE*25*0001", "SE*24*0001"),
        ("GE*1*1001", "GE*2*1001"),
        ("IEA*1*000000101", "IEA*1*000000109"),
        ("BEG*00*SA*PO00042**20240304", "BEG*00*SA*PO00042**20240231"),
        ("DTM*002*20240318", "DTM*002*20241318"),
        ("PO1*3*5000*EA*0.045", "PO1*3*5000*EA*0,045"),
    )
    problems = validate(data).problems
    found = {(p.rule, p.segment_id, p.segment_index, p.element_index) for p in problems}
    assert found == {
        (Rule.IEA_CONTROL, "IEA", 29, 2),
        (Rule.GE_COUNT, "GE", 28, 1),
        (Rule.SE_COUNT, "SE", 25, 1),
        (Rule.INVALID_DATE, "BEG", 2, 5),
        (Rule.INVALID_DATE, "DTM", 19, 2),
        (Rule.INVALID_CHARACTER, "PO1", 20, 4),
    }
    beg = next(p for p in problems if p.segment_id == "BEG")
    assert (beg.interchange, beg.group, beg.transaction, beg.found) == (
        "000000101",
        "1001",
        "0001",
        "20240231",
    )
    assert isinstance(beg.error, InvalidDate)
    assert (beg.level, beg.ack_code) == (Level.ELEMENT, "8")


def test_problems_are_filed_under_their_envelope() -> None:
    report = validate(_replace(("GE*1*1001", "GE*1*1009"), ("SE*25*0001", "SE*25*0002")))
    [interchange] = report.interchanges
    [group] = interchange.groups
    assert [p.rule for p in group.problems] == [Rule.GE_CONTROL]
    assert [p.rule for p in group.sets[0].problems] == [Rule.SE_CONTROL]
    assert interchange.problems == []


def test_a_set_without_se_and_a_group_without_ge() -> None:
    report = validate(_replace(("SE*25*0001~\n", ""), ("GE*1*1001~\n", "")))
    rules = [p.rule for p in report.problems]
    assert Rule.SE_MISSING in rules
    assert Rule.GE_MISSING in rules


def test_unreadable_input_is_reported_not_raised() -> None:
    assert [p.rule for p in validate(b"hello").file_problems] == [Rule.ISA_SYNTAX]
    assert validate(b"").file_problems[0].error.code == "empty_message"
    truncated = validate(PO_4010[: PO_4010.index("SE*25")].encode())
    assert [p.rule for p in truncated.problems] == [Rule.IEA_MISSING, Rule.GE_MISSING]
    assert isinstance(truncated.problems[-1].error, MalformedMessage)


def test_invalid_segment_id_does_not_stop_the_walk() -> None:
    problems = validate(
        _replace(("CUR*BY*EUR", "cur*BY*EUR"), ("SE*25*0001", "SE*25*0009"))
    ).problems
    assert [p.rule for p in problems][:2] == [Rule.SEGMENT_ID, Rule.SE_CONTROL]


def test_repeated_control_number_and_wrong_group() -> None:
    st_to_se = PO_4010[PO_4010.index("ST*850") : PO_4010.index("GE*")]
    text = PO_4010.replace(st_to_se, st_to_se * 2).replace("GE*1*1001", "GE*2*1001")
    text = text.replace("GS*PO*", "GS*IN*")
    rules = [p.rule for p in validate(text.encode()).problems]
    assert rules.count(Rule.FUNCTIONAL_ID) == 2
    assert rules.count(Rule.ST_DUPLICATE) == 1


def test_codec_validate_is_the_same() -> None:
    data = _replace(("SE*25*0001", "SE*24*0001"))
    [problem] = codec.validate(data).problems
    assert (problem.rule, problem.segment_index) == (Rule.SE_COUNT, 25)


def test_bad_options_raise_instead_of_passing_as_file_problems() -> None:
    with pytest.raises(ConfigurationError):
        validate(sample("850_PO00042.x12"), {"charset": "no-such-charset"})
    with pytest.raises(ConfigurationError):
        validate(sample("855_PO00042.x12"), {"ack_status_map": {"IA": "no-such-status"}})
