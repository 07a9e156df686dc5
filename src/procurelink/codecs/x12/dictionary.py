"""Element data types of the segments the procurement sets use, for the validator.

A mapper stops at its set's first error; the validator wants them all. It walks every
segment of a set against this table with the very readers the mappers use (``elements``),
so a bad date or number is found, and reported with the same rule, wherever it sits.
Only typed elements are listed; codes and mandatory elements are the mappers' business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from procurelink.codecs.x12.elements import Place, date8, decimal, implied, integer, time_of_day
from procurelink.codecs.x12.envelope import TransactionSet, attempt
from procurelink.codecs.x12.syntax import Report, Segment

Reader = Callable[[Place, Segment, int], Any]
DT: Reader = date8
TM: Reader = time_of_day
R: Reader = decimal
N0: Reader = integer
N2: Reader = implied

TYPES: dict[str, dict[int, Reader]] = {
    "DTM": {2: DT, 3: TM},
    "BEG": {5: DT},
    "BAK": {4: DT, 9: DT},
    "BCH": {5: N0, 6: DT, 10: DT, 11: DT},
    "BCA": {5: N0, 6: DT, 10: DT, 11: DT},
    "PO1": {2: R, 4: R},
    "POC": {3: R, 4: R, 6: R},
    "ACK": {2: R, 5: DT},
    "SCH": {1: R, 6: DT, 7: TM},
    "CTT": {1: N0},
    "AMT": {2: R},
    "ITD": {3: R, 5: N0, 7: N0},
    "BSN": {3: DT, 4: TM},
    "TD1": {2: N0, 7: R},
    "SN1": {2: R, 4: R, 5: R},
    "PRF": {4: DT},
    "BIG": {1: DT, 3: DT},
    "IT1": {2: R, 4: R},
    "TDS": {1: N2, 2: N2, 3: N2, 4: N2},
    "TXI": {2: R, 3: R, 8: R},
    "SAC": {5: N2},
    "BRA": {2: DT, 5: TM},
    "RCD": {2: R, 4: R},
    "BFR": {6: DT, 7: DT, 8: DT},
    "BSS": {3: DT, 5: DT, 6: DT},
    "FST": {1: R, 4: DT, 5: DT},
    "SHP": {2: R, 4: DT},
    "BNR": {3: DT, 4: TM},
    "QTY": {2: R},
    "AK9": {2: N0, 3: N0, 4: N0},
}


def check_elements(transaction: TransactionSet, report: Report) -> None:
    """Report every typed element of the set that does not read as its type."""
    place = transaction.place
    for segment in transaction.body:
        for index, reader in TYPES.get(segment.tag, {}).items():
            attempt(report, lambda: reader(place, segment, index))  # noqa: B023
