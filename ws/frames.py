"""RFC 6455 server-to-client text frames built once and written to many sockets.

Server frames are unmasked, so the same bytes are valid for every recipient: the hub
encodes a frame once per event and hands it to each transport (compression is off).
"""

from __future__ import annotations

import struct

_FIN_TEXT = 0x81
_LEN16 = struct.Struct("!BBH")
_LEN64 = struct.Struct("!BBQ")


def text_frame(payload: bytes) -> bytes:
    """One final, unmasked, uncompressed text frame carrying ``payload`` (UTF-8 JSON)."""
    size = len(payload)
    if size < 126:
        return bytes((_FIN_TEXT, size)) + payload
    if size < 65536:
        return _LEN16.pack(_FIN_TEXT, 126, size) + payload
    return _LEN64.pack(_FIN_TEXT, 127, size) + payload


def pong_frame(payload: bytes) -> bytes:
    """The PONG answering a client's PING (payloads are at most 125 bytes, RFC 6455 §5.5)."""
    return bytes((0x8A, len(payload[:125]))) + payload[:125]


def close_frame(code: int, reason: bytes) -> bytes:
    """An unmasked CLOSE frame with ``code`` and a reason of at most 123 bytes."""
    body = code.to_bytes(2, "big") + reason[:123]
    return bytes((0x88, len(body))) + body
