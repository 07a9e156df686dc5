"""Ports: the interfaces (typing.Protocol) services depend on, and the records they exchange."""
