"""JSON codec: canonical documents as JSON (REST partners, portal uploads, replays)."""

from procurelink.codecs.json_api.codec import JsonCodec

__all__ = ["JsonCodec"]
