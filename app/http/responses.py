"""JSON out through orjson: compact, floats always with a decimal point, no charset (CONTRACT §1.4)."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

JSON = "application/json"


def json_response(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type=JSON)


def raw_json_response(body: bytes, status: int = 200) -> web.Response:
    """For bodies assembled from cached byte fragments (hot paths)."""
    return web.Response(body=body, status=status, content_type=JSON)
