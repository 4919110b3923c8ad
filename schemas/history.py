"""The broker's histories on the wire: the order history page and the portfolio history.

``GET /orders/history`` pages the final orders newest first: ``limit`` (default
``DEFAULT_HISTORY_LIMIT``, at most ``MAX_HISTORY_LIMIT``) and ``before``, the opaque cursor
(``next``) of the previous page. ``GET /account/history`` has Alpaca's portfolio-history shape
(snake_case keys, timestamps in Unix seconds, ``profit_loss_pct`` a fraction of ``base_value``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, validate

from schemas.base import WireSchema
from schemas.broker import PlacedOrderSchema
from schemas.fields import OneOfLiteral, WireFloat, WireInt, WireList, WireNested, WireStr
from schemas.problems import Problem

DEFAULT_HISTORY_LIMIT = 50
MAX_HISTORY_LIMIT = 500
PERIODS = ("1D", "1W", "1M", "1A")
TIMEFRAMES = ("1Min", "5Min", "15Min", "1H", "1D")
BAD_CURSOR = Problem("value_error", "Value error, not a cursor of GET /orders/history (pass `next` as it came)")
_CURSOR = re.compile(r"(\d{1,18})\.(\d{1,19})")


def encode_cursor(key: tuple[int, int]) -> str:
    """The page boundary (final time, order number) as an opaque url-safe token."""
    return base64.urlsafe_b64encode(f"{key[0]}.{key[1]}".encode()).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[int, int] | None:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        return None
    match = _CURSOR.fullmatch(raw)
    return None if match is None else (int(match[1]), int(match[2]))


class CursorField(WireStr):
    """``next`` of an earlier page, read back as its (final time, order number)."""

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        key = decode_cursor(text) if len(text) <= 64 else None
        if key is None:
            raise ValidationError(BAD_CURSOR)
        return key


class Between(validate.Range):
    """``low <= value <= high`` with pydantic's messages (apispec emits minimum and maximum)."""

    def __init__(self, low: int, high: int) -> None:
        super().__init__(min=low, max=high)
        self.low, self.high = low, high

    def __call__(self, value: Any) -> Any:
        if value < self.low:
            raise ValidationError(Problem("greater_than_equal", f"Input should be greater than or equal to {self.low}",
                                          {"ge": self.low}))
        if value > self.high:
            raise ValidationError(Problem("less_than_equal", f"Input should be less than or equal to {self.high}",
                                          {"le": self.high}))
        return value


class OrderHistoryQuerySchema(WireSchema):
    limit = WireInt(load_default=DEFAULT_HISTORY_LIMIT, validate=Between(1, MAX_HISTORY_LIMIT),
                    metadata={"description": f"Orders per page (default {DEFAULT_HISTORY_LIMIT}, "
                                             f"at most {MAX_HISTORY_LIMIT})"})
    before = CursorField(load_default=None, metadata={
        "description": "Cursor: the `next` of the previous page (omit for the newest orders)"})


class OrderHistorySchema(WireSchema):
    orders = WireList(WireNested(PlacedOrderSchema), required=True, metadata={
        "description": "Final orders (filled, cancelled, rejected), newest first: by the time they became "
                       "final, then by order number"})
    next = WireStr(required=True, allow_none=True, metadata={
        "description": "Cursor of the next (older) page as `before`; null on the last page"})


class PortfolioHistoryQuerySchema(WireSchema):
    period = WireStr(load_default="1M", validate=OneOfLiteral(PERIODS), metadata={
        "description": "How far back: a day, a week, a month (30 days) or a year (365 days); default 1M"})
    timeframe = WireStr(load_default="1D", validate=OneOfLiteral(TIMEFRAMES), metadata={
        "description": "Spacing of the points; at most 10,000 points (period / timeframe + 1), else 422"})


class PortfolioHistorySchema(WireSchema):
    timestamp = WireList(WireInt(), required=True, metadata={
        "description": "Grid times, Unix seconds: the timeframe's multiples from one period before the "
                       "latest one up to it"})
    equity = WireList(WireFloat(), required=True, metadata={
        "description": "The account's equity at each time (balance + positions marked at the bid/ask then)"})
    profit_loss = WireList(WireFloat(), required=True, metadata={
        "description": "equity − base_value at each time"})
    profit_loss_pct = WireList(WireFloat(), required=True, metadata={
        "description": "profit_loss / base_value at each time (a fraction: 0.01 is 1 %)"})
    base_value = WireFloat(required=True, metadata={"description": "The equity at the first time"})
    timeframe = WireStr(required=True, metadata={"description": "The timeframe of the points"})
