"""Benchmarks: `make bench` runs them and prints figures (no timed unit tests)."""
