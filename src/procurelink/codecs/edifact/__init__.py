"""UN/EDIFACT codec (placeholder docstring, completed below)."""

from procurelink.codecs.edifact.codec import EdifactCodec

__all__ = ["EdifactCodec"]
