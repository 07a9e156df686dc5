"""CSV and XLSX flat files with a per-supplier column mapping (the long tail of suppliers).

Profile example::

    codec:
      type: csv
      options:
        document: order_response          # what this supplier sends: order_response,
                                          # despatch_advice or price_list
        delimiter: ";"
        decimal_separator: ","
        thousands_separator: "."
        date_format: "%d.%m.%Y"
        encoding: null                    # null: detected (charset-normalizer)
        columns:                          # canonical field -> the supplier's header
          order_number: Bestellnummer
          line_no: Pos
          confirmed_qty: Menge
          uom: ME                         # without it quantities are pieces ("unit"),
                                          # and a line in another unit is refused
          promised_date: Liefertermin
          vendor_ref: AB-Nummer
        status_map: {"OK": accepted, "Terminänderung": rescheduled, "abgelehnt": rejected}

XLSX files are read from their first sheet with the same mapping. Orders we send are
written as CSV with ``order_columns`` (defaults to every line field).
"""

from procurelink.codecs.flatfile.codec import FlatFileCodec

__all__ = ["FlatFileCodec"]
