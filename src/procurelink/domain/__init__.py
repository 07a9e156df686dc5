"""The canonical procurement model: syntax-neutral documents, value types and business events.

Codecs produce and consume these; services and workflow rules work only with these. Quantities,
prices and amounts are ``Decimal`` (serialised as strings), dates are ISO dates.
"""
