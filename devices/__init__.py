"""Bedside monitor protocols: transports, framing, decoding, simulators. No Qt."""
