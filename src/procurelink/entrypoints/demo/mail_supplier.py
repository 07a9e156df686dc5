"""The demo's e-mail supplier: reads purchase orders from its mailbox and answers by mail.

Brightline Seals has no EDI and no portal: procurelink mails it each order as a CSV with a
printable PDF copy; a clerk (played here by the standard library's imaplib and smtplib, so
nothing of procurelink's e-mail channel is on this side) answers with an acknowledgment
spreadsheet attached, and keeps procurelink's reference header on the reply.
"""

from __future__ import annotations

import asyncio
import imaplib
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from procurelink.entrypoints.demo.mailserver import Dovecot, MailRelay
from procurelink.entrypoints.demo.suppliers import csv_acknowledgment

CORRELATION_HEADER = "X-Procurelink-Correlation-Id"


@dataclass
class EmailCsvSupplier:
    partner_id: str
    address: str  # the supplier's mailbox on the demo mail server
    reply_to: str  # procurelink's mailbox
    dovecot: Dovecot
    relay: MailRelay
    log: Callable[[str], None]

    async def round(self) -> int:
        """Answer every purchase order waiting in the supplier's INBOX; returns how many."""
        return await asyncio.to_thread(self._round)

    def _round(self) -> int:
        answered = 0
        with imaplib.IMAP4(self.dovecot.host, self.dovecot.port, timeout=10) as imap:
            imap.login(self.address, self.dovecot.users[self.address])
            imap.select("INBOX")
            _, data = imap.uid("SEARCH", "ALL")
            for uid in data[0].split():
                _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = parts[0][1] if parts and isinstance(parts[0], tuple) else b""
                message = message_from_bytes(raw, policy=policy.default)
                assert isinstance(message, EmailMessage)
                if self._answer(message):
                    answered += 1
                imap.uid("STORE", uid, "+FLAGS", r"(\Deleted)")
            imap.expunge()
        return answered

    def _answer(self, order: EmailMessage) -> bool:
        files = {
            str(part.get_filename()): part.get_payload(decode=True)
            for part in order.iter_attachments()
        }
        orders = {n: b for n, b in files.items() if n.endswith(".csv") and isinstance(b, bytes)}
        if not orders:
            self.log(f"[brightline] mail {order['Subject']!r} has no order spreadsheet")
            return False
        reply = EmailMessage()
        reply["From"] = f"Brightline Seals Sales <{self.address}>"
        reply["To"] = self.reply_to
        reply["Subject"] = f"Re: {order['Subject']}"
        reply["Date"] = formatdate(usegmt=True)
        reply["Message-ID"] = make_msgid(domain=self.address.rpartition("@")[2])
        reply["In-Reply-To"] = str(order["Message-ID"])
        if order[CORRELATION_HEADER]:
            reply[CORRELATION_HEADER] = str(order[CORRELATION_HEADER])
        reply.set_content("Thank you for your order. Our confirmation is attached.\n")
        for name, body in orders.items():
            ack = csv_acknowledgment(body.decode("utf-8-sig")).encode()
            reply.add_attachment(ack, maintype="text", subtype="csv", filename=f"ACK_{name}")
        with smtplib.SMTP(self.relay.host, self.relay.port, timeout=10) as smtp:
            smtp.send_message(reply)
        self.log(
            f"[brightline] got mail {order['Subject']!r} with {', '.join(sorted(files))}, "
            f"answered with {', '.join(f'ACK_{n}' for n in orders)} by mail"
        )
        return True
