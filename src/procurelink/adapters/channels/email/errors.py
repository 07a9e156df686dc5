"""IMAP and SMTP failures translated to procurelink's error tree (ARCHITECTURE.md §5).

Retrying helps when the network or the server is down or busy: TransientError. It does not
when the server refused our credentials, a recipient or a mailbox: PermanentError. Messages
name the server and quote its answer, never a password.
"""

from __future__ import annotations

import re
import ssl

import aiosmtplib

from procurelink.errors import PermanentError, ProcurelinkError, TransientError


class MailServerUnavailable(TransientError):
    """The mail server could not be reached or answered with a temporary failure."""

    code = "mail_server_unavailable"


class MailAuthenticationFailed(PermanentError):
    """The mail server refused the channel's credentials."""

    code = "mail_authentication_failed"


class MailRefused(PermanentError):
    """The mail server refused the command for good."""

    code = "mail_refused"


# IMAP response codes (RFC 5530) after which a retry cannot succeed.
_IMAP_PERMANENT_CODES = {
    "AUTHENTICATIONFAILED",
    "AUTHORIZATIONFAILED",
    "EXPIRED",
    "PRIVACYREQUIRED",
    "NOPERM",
    "NONEXISTENT",
    "CANNOT",
    "OVERQUOTA",
}
_IMAP_AUTH_CODES = {"AUTHENTICATIONFAILED", "AUTHORIZATIONFAILED", "EXPIRED", "PRIVACYREQUIRED"}
_RESPONSE_CODE = re.compile(r"^\[([A-Z-]+)")
# Commands whose refusal without a response code means a setting is wrong (Dovecot answers
# a missing mailbox with a bare NO, for instance): waiting will not fix it.
_CONFIG_COMMANDS = {"SELECT", "STARTTLS"}
_IMAP_TRANSIENT_CODES = {"UNAVAILABLE", "INUSE", "SERVERBUG", "LIMIT"}


def imap_refusal(server: str, command: str, result: str, text: str) -> ProcurelinkError:
    """A NO or BAD answer to an IMAP command."""
    code_match = _RESPONSE_CODE.match(text)
    code = code_match.group(1) if code_match else ""
    message = f"IMAP {server}: {command} answered {result}: {text[:200]}"
    if code in _IMAP_AUTH_CODES or (command == "LOGIN" and code not in _IMAP_TRANSIENT_CODES):
        return MailAuthenticationFailed(message, server=server, response_code=code)
    if (
        code in _IMAP_PERMANENT_CODES
        or result == "BAD"
        or (command in _CONFIG_COMMANDS and code not in _IMAP_TRANSIENT_CODES)
    ):
        # BAD means we sent something the server cannot parse: a retry sends it again.
        return MailRefused(message, server=server, response_code=code)
    return MailServerUnavailable(message, server=server, response_code=code)


def network_error(protocol: str, server: str, exc: BaseException) -> ProcurelinkError:
    """A failure below the mail protocol: connection, TLS, timeout."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        # A certificate we do not trust will not become trusted by waiting.
        return MailRefused(f"{protocol} {server}: TLS certificate not trusted", server=server)
    if isinstance(exc, TimeoutError):
        return MailServerUnavailable(f"{protocol} {server}: timed out", server=server)
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return MailServerUnavailable(f"{protocol} {server}: {reason}", server=server)


def smtp_error(server: str, exc: aiosmtplib.SMTPException) -> ProcurelinkError:
    """An aiosmtplib failure; 5xx answers are final, 4xx and network trouble are not."""
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return MailAuthenticationFailed(
            f"SMTP {server}: login refused ({exc.code})", server=server, status=exc.code
        )
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        refused = ", ".join(f"{r.recipient} ({r.code} {r.message})" for r in exc.recipients)
        text = f"SMTP {server}: recipients refused: {refused}"[:400]
        if any(c < 500 for c in codes):
            return MailServerUnavailable(text, server=server, status=min(codes))
        return MailRefused(text, server=server, status=max(codes))
    if isinstance(exc, aiosmtplib.SMTPNotSupported):
        return MailRefused(f"SMTP {server}: {exc.message}", server=server)
    if isinstance(exc, aiosmtplib.SMTPResponseException) and not isinstance(
        exc, aiosmtplib.SMTPServerDisconnected | aiosmtplib.SMTPConnectError
    ):
        text = f"SMTP {server}: {exc.code} {exc.message}"[:400]
        if exc.code >= 500:
            return MailRefused(text, server=server, status=exc.code)
        return MailServerUnavailable(text, server=server, status=exc.code)
    return network_error("SMTP", server, exc)
