"""The request limits of the wire (DESIGN §4 #30, CONTRACT §1.4), each defined once.

Validation (the list fields, the 422 mapper), the UDF views and the WebSocket payloads all read
them from here, so a limit cannot differ between two doors to the same data.
"""

from __future__ import annotations

MAX_SYMBOLS = 1000
"""Longest symbol list one request may carry (REST body, UDF query, WebSocket subscription)."""

MAX_ERROR_ITEMS = 50
"""Most items one 422 ``detail`` lists: a body of a million bad entries costs fifty."""

MAX_ECHO_CHARS = 100
"""Longest text a 422 item echoes back (``input``, and the input quoted in ``msg``)."""

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a request body may have (the wire's own is 3)."""
