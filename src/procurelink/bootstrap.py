"""The composition root: settings -> adapters -> services."""
