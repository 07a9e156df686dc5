"""E-mail channel: documents out over SMTP, in from an IMAP mailbox (one supplier per profile)."""
