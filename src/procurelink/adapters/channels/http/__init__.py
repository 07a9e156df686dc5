"""HTTP webhook channel: POST documents to a partner's endpoint, signed."""
