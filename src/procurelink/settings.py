"""Settings from PROCURELINK_* environment variables and an optional procurelink.toml."""
