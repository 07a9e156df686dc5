"""Channels: each subpackage moves bytes to and from partners and nothing else."""
