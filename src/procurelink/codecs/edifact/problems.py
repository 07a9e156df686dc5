"""Problems found in an interchange, their location, and the two ways of handling them.

Every rule reports a ``Problem`` to a ``Sink``. The decoder uses ``Strict``, which raises the
problem as the typed error at once; the validator and the CONTRL generator use ``Collector``,
which keeps going and gathers every problem. The rules themselves exist once.

``syntax_error`` is the EDIFACT code 0085 the problem deserves in a CONTRL (edi.md 4.7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from procurelink.codecs.edifact.syntax import Segment
from procurelink.errors import InvalidDate, InvalidDocument, MalformedMessage, ProcurelinkError

# 0085 codes used by the rules (subset of the code list in edi.md section 4.7).
INVALID_VALUE = "12"
MISSING = "13"
NOT_SUPPORTED_HERE = "15"
INVALID_CHARACTER = "21"
REFERENCES_DIFFER = "28"
COUNT_DIFFERS = "29"
DUPLICATE = "26"
UNSUPPORTED_SYNTAX = "2"
LOWER_LEVEL_EMPTY = "32"
UNSPECIFIED = "18"

_ERRORS: dict[str, type[ProcurelinkError]] = {
    "malformed": MalformedMessage,
    "invalid_date": InvalidDate,
    "invalid": InvalidDocument,
}


@dataclass(frozen=True, slots=True)
class Problem:
    kind: str  # "malformed" | "invalid_date" | "invalid": the error class raised for it
    message: str
    syntax_error: str
    interchange: str | None = None
    group: str | None = None
    message_ref: str | None = None
    segment_index: int | None = None
    segment_id: str | None = None
    element_index: int | None = None
    component_index: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def details(self) -> dict[str, Any]:
        where = {
            "interchange": self.interchange,
            "group": self.group,
            "message": self.message_ref,
            "segment_index": self.segment_index,
            "segment_id": self.segment_id,
            "element_index": self.element_index,
            "component_index": self.component_index,
        }
        return {**where, **self.extra, "syntax_error": self.syntax_error}

    def exception(self) -> ProcurelinkError:
        error = _ERRORS[self.kind](self.message)
        # Set afterwards: the detail "message" (UNH 0062) would clash with the error's own
        # ``message`` argument if passed as a keyword.
        error.details = self.details()
        return error

    @classmethod
    def from_error(cls, error: ProcurelinkError) -> Problem:
        """A problem for an error raised by code that does not report (tokenizer, mappers)."""
        details = dict(error.details)
        kind = next((k for k, c in _ERRORS.items() if type(error) is c), "invalid")
        if isinstance(error, MalformedMessage):
            kind = "malformed"
        location = {
            key: details.pop(key, None)
            for key in ("interchange", "group", "segment_index", "segment_id")
        }
        return cls(
            kind=kind,
            message=error.message,
            syntax_error=str(details.pop("syntax_error", UNSPECIFIED)),
            message_ref=details.pop("message", None),
            element_index=details.pop("element_index", None),
            component_index=details.pop("component_index", None),
            extra=details,
            **location,
        )


class Sink(Protocol):
    def report(self, problem: Problem) -> None: ...


class Strict:
    """Raise the first problem as its typed error."""

    def report(self, problem: Problem) -> None:
        raise problem.exception()


class Collector:
    """Keep every problem; the caller decides what they mean."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def report(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


STRICT = Strict()


@dataclass(frozen=True, slots=True)
class Place:
    """Where a segment sits in the envelope.

    ``base`` is the UNH segment's number minus one: inside a message ``segment_index`` counts
    from UNH = 1 (the position CONTRL UCS 0096 reports); outside from UNB = 1.
    """

    interchange: str | None = None
    group: str | None = None
    message: str | None = None
    base: int = 0

    def problem(
        self,
        message: str,
        segment: Segment | None = None,
        element: int | None = None,
        component: int | None = None,
        *,
        kind: str = "malformed",
        syntax_error: str = INVALID_VALUE,
        **extra: Any,
    ) -> Problem:
        return Problem(
            kind=kind,
            message=message,
            syntax_error=syntax_error,
            interchange=self.interchange,
            group=self.group,
            message_ref=self.message,
            segment_index=segment.number - self.base if segment is not None else None,
            segment_id=segment.tag if segment is not None else None,
            element_index=element,
            component_index=component,
            extra=extra,
        )

    def error(
        self,
        message: str,
        segment: Segment | None = None,
        element: int | None = None,
        component: int | None = None,
        *,
        kind: str = "invalid",
        syntax_error: str = INVALID_VALUE,
        **extra: Any,
    ) -> ProcurelinkError:
        """The typed error for a mapper (which stops at the first problem)."""
        problem = self.problem(
            message, segment, element, component, kind=kind, syntax_error=syntax_error, **extra
        )
        return problem.exception()
