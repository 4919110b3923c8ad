"""Log lines as text or JSON, each carrying the id of the request it was written for.

``LOG_FORMAT=json`` writes one JSON object a line: ``time`` (UTC, ISO 8601), ``level``,
``logger``, ``message``, ``request_id`` when written while handling a request, the access
fields (``method``, ``route``, ``path``, ``status``, ``duration_ms``, ``bytes``) on access
lines and ``exception`` (the traceback) when there is one. Nothing here logs headers or
query strings, so API keys and ``token`` values never reach a log.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

import orjson

from app.observability.context import REQUEST_ID

ACCESS_FIELDS = ("method", "route", "path", "status", "duration_ms", "bytes")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (``-`` outside any request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id is not None and request_id != "-":
            line["request_id"] = request_id
        for name in ACCESS_FIELDS:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return orjson.dumps(line, default=str).decode()


def log_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    return handler


def configure_logging(level: str, log_format: str, stream: TextIO | None = None) -> None:
    """The root logger writes through one handler in ``log_format``; the access log (our
    middleware's, with route templates) is at INFO, so it shows whatever ``level`` says."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(log_handler(log_format, stream))
    root.setLevel(level)
    logging.getLogger("app.access").setLevel(logging.INFO)
