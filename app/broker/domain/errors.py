"""Typed domain errors; the REST layer maps ``status`` + ``detail`` to ``{"detail": ...}``."""

from __future__ import annotations


class BrokerError(Exception):
    """A request the engine refuses; nothing changed."""

    status: int = 400

    def __init__(self, detail: str, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status


class BadRequest(BrokerError):
    status = 400


class NotFound(BrokerError):
    status = 404


class Conflict(BrokerError):
    status = 409


class InvalidOrder(BrokerError):
    """A domain rule decidable from the request alone (needs the catalogue): HTTP 422.

    ``field`` is the wire name (``limitPrice``) so the REST layer can build ``loc``.
    """

    status = 422

    def __init__(self, field: str, message: str, value: object) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.value = value


class IllegalTransition(BadRequest):
    """The status table has no entry for (status, trigger); the order is unchanged."""

    def __init__(self, order_id: str, status: int, verb: str) -> None:
        super().__init__(f"Cannot {verb} order {order_id} with status {status}")
        self.order_id = order_id
