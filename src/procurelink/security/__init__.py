"""Identities, signatures and redaction shared by the HTTP edges."""
