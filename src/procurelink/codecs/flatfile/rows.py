"""Reading typed values out of a table row, with errors that name the row and column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from procurelink.codecs.flatfile.settings import FlatFileOptions
from procurelink.codecs.flatfile.table import Table
from procurelink.errors import InvalidDate, InvalidDocument


@dataclass(frozen=True, slots=True)
class Row:
    table: Table
    options: FlatFileOptions
    index: int  # 0-based data row
    cells: tuple[str, ...]

    @property
    def line(self) -> int:
        """Row number as a spreadsheet shows it (the header is row 1)."""
        return self.index + 2

    def text(self, field: str) -> str | None:
        header = self.options.header(field)
        col = self.table.column(header)
        if col is None or col >= len(self.cells) or not self.cells[col]:
            return None
        return self.cells[col]

    def required(self, field: str) -> str:
        value = self.text(field)
        if value is None:
            raise self.error(field, f"row {self.line}: {self.options.header(field)!r} is empty")
        return value

    def decimal(self, field: str) -> Decimal | None:
        raw = self.text(field)
        if raw is None:
            return None
        text = raw
        if not self.table.native:
            if self.options.thousands_separator:
                text = text.replace(self.options.thousands_separator, "")
            text = text.replace(self.options.decimal_separator, ".")
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise self.error(field, f"row {self.line}: {raw!r} is not a number") from exc
        if not value.is_finite():
            raise self.error(field, f"row {self.line}: {raw!r} is not a number")
        return value

    def date(self, field: str) -> date | None:
        raw = self.text(field)
        if raw is None:
            return None
        fmt = "%Y-%m-%d" if self.table.native else self.options.date_format
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError as exc:
            raise InvalidDate(
                f"row {self.line}: {raw!r} is not a date in the form {fmt}",
                row=self.line,
                column=self.options.header(field),
                value=raw,
            ) from exc

    def error(self, field: str, message: str) -> InvalidDocument:
        return InvalidDocument(message, row=self.line, column=self.options.header(field))


def rows(table: Table, options: FlatFileOptions) -> list[Row]:
    missing = [
        options.header(f) for f in options.required() if table.column(options.header(f)) is None
    ]
    if missing:
        raise InvalidDocument(
            f"missing column(s) {missing}; the header row has {list(table.headers)}",
            missing=missing,
        )
    return [Row(table, options, i, cells) for i, cells in enumerate(table.rows)]
