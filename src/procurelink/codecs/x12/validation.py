"""Validation without raising: every problem of a file, located, in envelope order.

The checks are the decoder's own. The envelope walk reports through a ``Report``; here the
report records instead of raising and the walk goes on. Typed elements of every segment are
checked against ``dictionary``, so that all bad dates and numbers are found, then each set
runs through its mapper, whose first error is recorded too (a mapper stops at its first).
Only a break the tokenizer cannot read past (no terminator, no IEA, bytes that are not X12)
ends the walk early; it is recorded like the rest.

Used by the functional acknowledgments (``functional_acks``) and by ``procurelink edi
validate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from procurelink.codecs.x12.dictionary import check_elements
from procurelink.codecs.x12.envelope import (
    GroupEnd,
    GroupHeader,
    InterchangeHeader,
    Item,
    TransactionSet,
)
from procurelink.codecs.x12.reading import decode_set, walk
from procurelink.codecs.x12.rules import ACK_CODES, Level, Rule, classify
from procurelink.errors import (
    ConfigurationError,
    InvalidDocument,
    MalformedMessage,
    ProcurelinkError,
)
from procurelink.ports.codec import DecodeContext


@dataclass(frozen=True, slots=True)
class Problem:
    """One broken rule with its place; ``error`` is what the decoder would raise for it."""

    rule: Rule
    error: ProcurelinkError
    interchange: str | None = None  # ISA13
    group: str | None = None  # GS06
    transaction: str | None = None  # ST02
    segment_index: int | None = None  # from ST = 1 inside a set, from ISA = 1 outside
    segment_id: str | None = None
    element_index: int | None = None
    component_index: int | None = None
    expected: Any = None
    found: Any = None

    @classmethod
    def from_error(cls, error: ProcurelinkError) -> Problem:
        details = error.details
        return cls(
            rule=classify(error),
            error=error,
            interchange=details.get("interchange"),
            group=details.get("group"),
            transaction=details.get("transaction"),
            segment_index=details.get("segment_index"),
            segment_id=details.get("segment_id"),
            element_index=details.get("element_index"),
            component_index=details.get("component_index"),
            expected=details.get("expected"),
            found=details.get("found"),
        )

    @property
    def level(self) -> Level:
        return ACK_CODES[self.rule][0]

    @property
    def ack_code(self) -> str:
        """The code a 997/999 (or TA1) reports for this problem at its level."""
        return ACK_CODES[self.rule][1]

    @property
    def message(self) -> str:
        return self.error.message

    def same_place(self, other: Problem) -> bool:
        return (self.transaction, self.segment_index, self.element_index, self.rule) == (
            other.transaction,
            other.segment_index,
            other.element_index,
            other.rule,
        )


@dataclass
class SetReport:
    set_id: str
    control: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class GroupReport:
    header: GroupHeader
    sets: list[SetReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # GS/GE and between sets
    closed: bool = False


@dataclass
class InterchangeReport:
    header: InterchangeHeader | None
    groups: list[GroupReport] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # ISA/IEA and outside groups


@dataclass
class ValidationReport:
    interchanges: list[InterchangeReport] = field(default_factory=list)
    # Problems met before any interchange could be read (empty input, no ISA, bad bytes).
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        """Every problem in file order of its container."""
        found = list(self.file_problems)
        for interchange in self.interchanges:
            found += interchange.problems
            for group in interchange.groups:
                found += group.problems
                for report in group.sets:
                    found += report.problems
        return found

    @property
    def valid(self) -> bool:
        return not self.problems


class _Collector:
    """Records reported errors and hands them to the envelope part they belong to."""

    def __init__(self) -> None:
        self.pending: list[Problem] = []
        self.report = ValidationReport()

    def __call__(self, error: InvalidDocument) -> None:
        self.pending.append(Problem.from_error(error))

    @property
    def interchange(self) -> InterchangeReport | None:
        return self.report.interchanges[-1] if self.report.interchanges else None

    def place(self, item: Item | None) -> None:
        """File the pending problems; those of ``item`` itself go to its new report."""
        if isinstance(item, InterchangeHeader):
            self._close_group()
            self.report.interchanges.append(InterchangeReport(item))
            self.interchange_problems(self.pending)
        elif isinstance(item, GroupHeader):
            own = [p for p in self.pending if p.segment_id == "GS"]
            self._file([p for p in self.pending if p not in own])
            self._close_group()
            assert self.interchange is not None
            self.interchange.groups.append(GroupReport(item, problems=own))
        elif isinstance(item, TransactionSet):
            own = [p for p in self.pending if p.transaction == item.control]
            self._file([p for p in self.pending if p not in own])
            self.group().sets.append(SetReport(item.set_id, item.control, own))
        elif isinstance(item, GroupEnd):
            self._file(self.pending)
            self._close_group()
        else:
            self._file(self.pending)
            self._close_group()
        self.pending = []

    def file_pending(self) -> None:
        self._file(self.pending)
        self.pending = []

    def interchange_problems(self, problems: list[Problem]) -> None:
        target = self.interchange
        if target is None:
            self.report.file_problems.extend(problems)
        else:
            target.problems.extend(problems)

    def group(self) -> GroupReport:
        assert self.interchange is not None
        assert self.interchange.groups
        return self.interchange.groups[-1]

    def _close_group(self) -> None:
        if self.interchange and self.interchange.groups:
            self.interchange.groups[-1].closed = True

    def _file(self, problems: list[Problem]) -> None:
        groups = self.interchange.groups if self.interchange else []
        for problem in problems:
            group = groups[-1] if groups and not groups[-1].closed else None
            if group is not None and problem.group is not None:
                target = group.sets[-1] if problem.transaction and group.sets else None
                if target is not None and target.control == problem.transaction:
                    target.problems.append(problem)
                else:
                    group.problems.append(problem)
            else:
                self.interchange_problems([problem])


def validate(data: bytes, options: Mapping[str, Any] | None = None) -> ValidationReport:
    """Every problem of ``data`` (an X12 file of any number of interchanges)."""
    options = options or {}
    collector = _Collector()
    ctx = DecodeContext("validation", "validation", "-", options)
    try:
        for item in walk(data, options, collector):
            collector.place(item)
            if isinstance(item, TransactionSet):
                _map(item, ctx, collector)
        collector.place(None)
    except ConfigurationError:
        raise  # our options are wrong, not the file
    except ProcurelinkError as error:
        _fatal(collector, error)
    return collector.report


def _map(transaction: TransactionSet, ctx: DecodeContext, collector: _Collector) -> None:
    report = collector.group().sets[-1]
    found: list[Problem] = []
    check_elements(transaction, lambda error: found.append(Problem.from_error(error)))
    report.problems += found
    try:
        decode_set(transaction, ctx)
    except ConfigurationError:
        raise
    except ProcurelinkError as error:
        problem = Problem.from_error(error)
        if not any(problem.same_place(p) for p in report.problems):
            report.problems.append(problem)


def _fatal(collector: _Collector, error: ProcurelinkError) -> None:
    """A break the walk cannot pass: the open group (if any) never saw its GE."""
    problem = Problem.from_error(error)
    collector.file_pending()
    interchange = collector.interchange
    if interchange is not None and interchange.groups and not interchange.groups[-1].closed:
        group = interchange.groups[-1]
        missing = MalformedMessage(
            "group is not closed by GE",
            interchange=interchange.header.control if interchange.header else None,
            group=group.header.control,
            expected="GE",
            rule=Rule.GE_MISSING,
        )
        group.problems.append(Problem.from_error(missing))
        group.closed = True
    collector.interchange_problems([problem])
