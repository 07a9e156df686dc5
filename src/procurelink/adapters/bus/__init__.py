"""Event buses: in-process (embedded default); NATS JetStream comes with scale-out."""
