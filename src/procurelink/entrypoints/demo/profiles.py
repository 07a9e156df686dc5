"""The demo suppliers' partner profiles, one per channel, written into the demo's workdir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from procurelink.entrypoints.demo.as2_supplier import ACME_AS2_ID, NORDCAST_AS2_ID, KeyFiles

STEELWORKS_REF = "SW-V-88120"
POLYMER_REF = "PP-V-20451"
FASTENER_REF = "FD-V-31007"
BRIGHTLINE_REF = "BL-V-40112"
NORDCAST_REF = "NC-V-50733"

ACME_MAILBOX = "orders@acme.test"
ACME_SENDER = "purchasing@acme.test"
BRIGHTLINE_MAILBOX = "orders@brightline.example"

# The same spreadsheet layout for both CSV suppliers (German column names, decimal comma).
_CSV_CODEC = """\
codec:
  type: csv
  options:
    delimiter: ";"
    decimal_separator: ","
    date_format: "%d.%m.%Y"
    columns: {order_number: Bestellung, line_no: Pos, status: Status, confirmed_qty: Menge,
               uom: ME, promised_date: Termin}
    status_map: {OK: accepted}
    order_columns: {order_number: Bestellung, line_no: Pos, supplier_item: Artikel,
                     description: Text, quantity: Menge, uom: ME, requested_date: Termin}
"""


@dataclass(frozen=True)
class MailPorts:
    imap: int
    smtp: int


@dataclass(frozen=True)
class As2Setup:
    ours: KeyFiles  # procurelink's signing/decryption pair
    supplier_cert: Path
    supplier_url: str
    mdn_url: str  # where the supplier POSTs its asynchronous MDNs (procurelink's /as2/mdn)


def profiles(
    workdir: Path,
    supplier_url: str,
    sftp_hash: str,
    mail: MailPorts | None,
    as2: As2Setup,
) -> dict[str, str]:
    """File name -> profile text. Without ``mail`` (no Dovecot) the e-mail supplier is left out."""
    sw = workdir / "suppliers" / "steelworks"
    found = {
        "steelworks.yaml": f"""\
id: steelworks
name: Steelworks GmbH
odoo: {{partner_ref: "{STEELWORKS_REF}"}}
identifiers:
  gln: "9520002000019"
  x12: {{qualifier: ZZ, id: STEELWORKS}}
codec:
  type: x12-004010
  options: {{sender_qualifier: ZZ, sender_id: ACMEMFG}}
channels:
  outbound: {{type: directory, outbox: "{sw / "from-acme"}"}}
  inbound: {{type: directory, inbox: "{sw / "to-acme"}"}}
tolerances: {{date_shift_days: 2, quantity_change_pct: 0}}
""",
        "polymer.yaml": f"""\
id: polymer
name: Polymer Parts Ltd
odoo: {{partner_ref: "{POLYMER_REF}"}}
codec: {{type: json}}
channels:
  outbound: {{type: http-webhook, url: "{supplier_url}/orders"}}
tolerances: {{date_shift_days: 3}}
shared_secret: "${{PROCURELINK_DEMO_POLYMER_SECRET}}"
""",
        "fastener.yaml": f"""\
id: fastener
name: Fastener Direct Inc
odoo: {{partner_ref: "{FASTENER_REF}"}}
{_CSV_CODEC}channels:
  outbound: &sftp {{type: sftp-server, root: "{workdir / "sftp"}", username: fastener,
                   password_hash: "{sftp_hash}"}}
  inbound: *sftp
""",
        "nordcast.yaml": f"""\
id: nordcast
name: Nordcast AB
odoo: {{partner_ref: "{NORDCAST_REF}"}}
identifiers: {{gln: "9520004000017"}}
codec: {{type: edifact, options: {{sender_id: "9520001000010", version: D01B}}}}
channels:
  outbound: &as2
    type: as2
    as2_id: {ACME_AS2_ID}
    partner_as2_id: {NORDCAST_AS2_ID}
    partner_url: "{as2.supplier_url}"
    signing: {{key_path: "{as2.ours.key}", cert_path: "{as2.ours.cert}"}}
    partner_certificates: [{{path: "{as2.supplier_cert}"}}]
    message_id_domain: acme.test
    # The MDN comes back on its own POST: it is matched from the store's pending receipts.
    mdn_mode: async
    mdn_url: "{as2.mdn_url}"
    timeout_seconds: 20
  inbound: *as2
tolerances: {{date_shift_days: 2}}
""",
    }
    if mail is not None:
        found["brightline.yaml"] = f"""\
id: brightline
name: Brightline Seals GmbH
odoo: {{partner_ref: "{BRIGHTLINE_REF}"}}
{_CSV_CODEC}channels:
  outbound: &mail
    type: email
    imap: {{host: 127.0.0.1, port: {mail.imap}, tls: plain, username: {ACME_MAILBOX},
           password: "${{PROCURELINK_DEMO_IMAP_PASSWORD}}", timeout_seconds: 10}}
    allowed_senders: [{BRIGHTLINE_MAILBOX}]
    smtp: {{host: 127.0.0.1, port: {mail.smtp}, tls: plain, timeout_seconds: 10}}
    from_address: {ACME_SENDER}
    to_addresses: [{BRIGHTLINE_MAILBOX}]
    attach_pdf: true
  inbound: *mail
tolerances: {{date_shift_days: 2}}
"""
    return found
