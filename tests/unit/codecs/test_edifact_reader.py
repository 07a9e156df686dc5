"""The LIN groups ``read_message`` builds: rare containers are shared empties until used."""

from __future__ import annotations

from decimal import Decimal

import pytest

from procurelink.codecs.edifact.problems import Place
from procurelink.codecs.edifact.reader import read_message
from procurelink.codecs.edifact.syntax import DEFAULT_SERVICE, Segment, read_segments


def segments(text: str) -> list[Segment]:
    return read_segments(text, 0, len(text), DEFAULT_SERVICE)


def test_a_lines_references_notes_amounts_and_gins_are_its_own() -> None:
    data = read_message(
        Place(),
        segments(
            "LIN+1++4000862141404:EN'QTY+21:5:PCE'RFF+ON:PO1:7'FTX+AAI+++first'"
            "MOA+203:10.5'GIN+BJ+354123450000000014'"
            "LIN+2'PIA+5+SW-1:SA+AC?:ME?+1:BP'IMD+F++:::Bolt?+nut'QTY+21:7'DTM+2:20240322:102'"
            "PRI+AAA:1.5'"
            "LIN+3+"
            "'"
        ),
    )
    first, second, third = data.lines
    assert first.ids == {"EN": "4000862141404"}
    assert {q: r.value for q, r in first.refs.items()} == {"ON": "PO1"}
    assert first.refs["ON"].line == "7"
    assert list(first.notes) == ["first"]
    assert dict(first.amounts) == {"203": Decimal("10.5")}
    assert [g.get(2) for g in first.gins] == ["354123450000000014"]
    # The later lines got none of the first line's values, and cannot be given any by
    # mistake: their empty containers are read-only.
    for line in (second, third):
        assert not line.refs and not line.notes and not line.amounts and not line.gins
        with pytest.raises(TypeError):
            line.refs["ON"] = first.refs["ON"]  # type: ignore[index]
    assert second.ids == {"SA": "SW-1", "BP": "AC:ME+1"}
    assert second.description == ["Bolt+nut"]
    assert set(second.quantities) == {"21"} and set(second.prices) == {"AAA"}
    assert set(second.dates) == {"2"}
    assert third.ids == {} and third.lin.get(1) == "3"


@pytest.mark.parametrize(
    "text",
    [
        "UNB+UNOC:3'\nUNH+1+ORDERS:D:96A:UN'\nBGM+220+PO?'1'\nUNT+2+1'\nUNZ+1+1'",
        "UNB+UNOC:3'\nUNH+1+ORDERS:D:96A:UN'\n\nBGM+220+PO1'\nUNT+2+1'\nUNZ+1+1'",
        "UNB+UNOC:3'\r\nUNH+1+ORDERS:D:96A:UN'\r\nBGM+220+PO1'\r\nUNT+2+1'\r\nUNZ+1+1'",
        "UNB+UNOC:3'UNH+1+ORDERS:D:96A:UN'\nBGM+220+PO1'\nUNT+2+1'\nUNZ+1+1'",
        "UNB+UNOC:3'\nUNH+1+ORDERS:D:96A:UN'\nBGM+220+PO1'\nUNT+2+1'\nUNZ+1+1'\n",
        "UNB+UNOC:3'\nUNH+1+ORDERS:D:96A:UN'\nBGM+220+PO1'\nUNT+2+1'\nUNZ+1+1'",
    ],
)
def test_segments_are_found_at_their_offsets_whatever_the_line_breaks(text: str) -> None:
    # The last text has one segment a line, the layout read with a split at "'\n".
    found = segments(text)
    assert [s.tag for s in found] == ["UNB", "UNH", "BGM", "UNT", "UNZ"]
    assert [s.number for s in found] == [1, 2, 3, 4, 5]
    assert all(text.startswith(s.tag + "+", s.offset) for s in found)
    assert found[2].get(2) in ("PO'1", "PO1") and found[4].elements == ["1", "1"]
