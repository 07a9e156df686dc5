"""Partner profiles from YAML files (one per supplier)."""
