"""A printable PDF copy of a mailed document, for the person who reads the supplier's mail.

The attached file (CSV, EDI, JSON) stays the authoritative document; the PDF shows the same
bytes as a person reads them: a CSV as a table, anything else as its text lines. It is
rendered from the payload alone, so the channel still only moves the bytes it was given.
"""

from __future__ import annotations

import csv
import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from procurelink.ports.channel import META_ORDER_NUMBER, OutboundPayload

_MAX_LINES = 2000  # a printout, not an archive: longer documents are cut with a note


def _latin1(text: str) -> str:
    # The PDF core fonts cover Latin-1; anything else is shown as '?', never an error.
    return text.encode("latin-1", "replace").decode("latin-1")


def _text(body: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1")


def _csv_rows(text: str, content_type: str, filename: str) -> list[list[str]] | None:
    if "csv" not in content_type and not filename.lower().endswith(".csv"):
        return None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t|")
    except csv.Error:
        return None
    return [row for row in csv.reader(io.StringIO(text), dialect) if row][:_MAX_LINES]


def render_pdf(payload: OutboundPayload, title: str) -> bytes:
    """A PDF showing ``payload`` under ``title`` (e.g. "Purchase order P00042")."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(_latin1(title))
    pdf.set_creator("procurelink")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, _latin1(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 9)
    facts = [
        f"Order: {payload.metadata.get(META_ORDER_NUMBER, '-')}",
        f"Reference: {payload.correlation_id}",
        f"Attached file: {payload.filename}",
    ]
    for fact in facts:
        pdf.cell(0, 5, _latin1(fact), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    text = _text(payload.body)
    rows = _csv_rows(text, payload.content_type, payload.filename)
    if rows:
        width = max(len(r) for r in rows)
        with pdf.table(
            first_row_as_headings=True, text_align="LEFT", line_height=5, width=pdf.epw
        ) as table:
            for row in rows:
                cells = table.row()
                for value in [*row, *([""] * (width - len(row)))]:
                    cells.cell(_latin1(value))
    else:
        pdf.set_font("Courier", "", 8)
        for line in text.splitlines()[:_MAX_LINES]:
            pdf.cell(0, 4, _latin1(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
