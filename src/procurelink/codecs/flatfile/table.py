"""Bytes to a table of text cells: CSV (any encoding, detected) or the first XLSX sheet."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from charset_normalizer import from_bytes

from procurelink.errors import MalformedMessage

XLSX_MAGIC = b"PK\x03\x04"
# A flat file is a few thousand rows; anything bigger is a mistake or an attack.
MAX_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # data rows; row n of the file is rows[n - 2]
    # XLSX cells hold typed values, rendered as ISO dates and "." decimals whatever the
    # partner's CSV conventions are.
    native: bool = False

    def column(self, header: str) -> int | None:
        try:
            return self.headers.index(header)
        except ValueError:
            return None


def read_table(data: bytes, delimiter: str, encoding: str | None) -> Table:
    if data.startswith(XLSX_MAGIC):
        return _xlsx(data)
    return _csv(_text(data, encoding), delimiter)


def _text(data: bytes, encoding: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "strict")
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise MalformedMessage(f"file is not valid {encoding}: {exc}") from exc
    best = from_bytes(data).best()
    if best is None:
        raise MalformedMessage("file is not text in any known encoding")
    return str(best)


def _csv(text: str, delimiter: str) -> Table:
    try:
        rows = [
            tuple(c.strip() for c in row)
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise MalformedMessage(f"CSV cannot be read: {exc}") from exc
    return _table(rows)


def _xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise MalformedMessage(f"XLSX cannot be read: {exc}") from exc
    sheet = book.worksheets[0]
    rows: list[tuple[str, ...]] = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(tuple(_cell(v) for v in values))
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return _table(rows, native=True)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _table(rows: list[tuple[str, ...]], native: bool = False) -> Table:
    rows = [r for r in rows if any(r)]
    if not rows:
        raise MalformedMessage("the file has no header row")
    if len(rows) > MAX_ROWS + 1:
        raise MalformedMessage(f"more than {MAX_ROWS} rows")
    return Table(rows[0], tuple(rows[1:]), native)
