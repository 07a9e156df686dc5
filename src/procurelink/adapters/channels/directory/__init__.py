"""Directory drop channel: per-supplier outbox and inbox folders."""
