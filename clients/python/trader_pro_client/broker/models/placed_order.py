from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_status import OrderStatus
from ..models.order_type import OrderType
from ..models.parent_type import ParentType
from ..models.side import Side
from ..models.stop_type import StopType

if TYPE_CHECKING:
    from ..models.duration import Duration


T = TypeVar("T", bound="PlacedOrder")


@_attrs_define
class PlacedOrder:
    """
    Attributes:
        id (str): Order ID
        symbol (str): Symbol name
        type_ (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side
        qty (float): Order quantity
        status (OrderStatus): Order status enumeration matching TradingView OrderStatus
        limit_price (float | None): Price for the limit order
        stop_price (float | None): Price for the stop order
        take_profit (float | None): Take profit price (Brackets)
        stop_loss (float | None): Stop loss price (Brackets)
        guaranteed_stop (float | None): Guaranteed stop loss price (Brackets)
        trailing_stop_pips (float | None): Trailing stop pips value (Brackets)
        stop_type (None | StopType): Stop loss type
        filled_qty (float | None): Filled order quantity
        avg_price (float | None): Average fulfilled price for the order
        update_time (int | None): Last update time (unix timestamp in milliseconds)
        parent_id (None | str): Id of the order or position a bracket belongs to
        parent_type (None | ParentType): 1 = order, 2 = position
        client_order_id (None | str): Client's idempotency key
        duration (Duration | None): Time in force as placed (null: GTC, the order was placed without one)
    """

    id: str
    symbol: str
    type_: OrderType
    side: Side
    qty: float
    status: OrderStatus
    limit_price: float | None
    stop_price: float | None
    take_profit: float | None
    stop_loss: float | None
    guaranteed_stop: float | None
    trailing_stop_pips: float | None
    stop_type: None | StopType
    filled_qty: float | None
    avg_price: float | None
    update_time: int | None
    parent_id: None | str
    parent_type: None | ParentType
    client_order_id: None | str
    duration: Duration | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.duration import Duration

        id = self.id

        symbol = self.symbol

        type_ = self.type_.value

        side = self.side.value

        qty = self.qty

        status = self.status.value

        limit_price: float | None
        limit_price = self.limit_price

        stop_price: float | None
        stop_price = self.stop_price

        take_profit: float | None
        take_profit = self.take_profit

        stop_loss: float | None
        stop_loss = self.stop_loss

        guaranteed_stop: float | None
        guaranteed_stop = self.guaranteed_stop

        trailing_stop_pips: float | None
        trailing_stop_pips = self.trailing_stop_pips

        stop_type: int | None
        if isinstance(self.stop_type, StopType):
            stop_type = self.stop_type.value
        else:
            stop_type = self.stop_type

        filled_qty: float | None
        filled_qty = self.filled_qty

        avg_price: float | None
        avg_price = self.avg_price

        update_time: int | None
        update_time = self.update_time

        parent_id: None | str
        parent_id = self.parent_id

        parent_type: int | None
        if isinstance(self.parent_type, ParentType):
            parent_type = self.parent_type.value
        else:
            parent_type = self.parent_type

        client_order_id: None | str
        client_order_id = self.client_order_id

        duration: dict[str, Any] | None
        if isinstance(self.duration, Duration):
            duration = self.duration.to_dict()
        else:
            duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "symbol": symbol,
                "type": type_,
                "side": side,
                "qty": qty,
                "status": status,
                "limitPrice": limit_price,
                "stopPrice": stop_price,
                "takeProfit": take_profit,
                "stopLoss": stop_loss,
                "guaranteedStop": guaranteed_stop,
                "trailingStopPips": trailing_stop_pips,
                "stopType": stop_type,
                "filledQty": filled_qty,
                "avgPrice": avg_price,
                "updateTime": update_time,
                "parentId": parent_id,
                "parentType": parent_type,
                "clientOrderId": client_order_id,
                "duration": duration,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.duration import Duration

        unparsed_src = dict(src_dict)
        id = unparsed_src.pop("id")

        symbol = unparsed_src.pop("symbol")

        type_ = OrderType(unparsed_src.pop("type"))

        side = Side(unparsed_src.pop("side"))

        qty = unparsed_src.pop("qty")

        status = OrderStatus(unparsed_src.pop("status"))

        def _parse_limit_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        limit_price = _parse_limit_price(unparsed_src.pop("limitPrice"))

        def _parse_stop_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        stop_price = _parse_stop_price(unparsed_src.pop("stopPrice"))

        def _parse_take_profit(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        take_profit = _parse_take_profit(unparsed_src.pop("takeProfit"))

        def _parse_stop_loss(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        stop_loss = _parse_stop_loss(unparsed_src.pop("stopLoss"))

        def _parse_guaranteed_stop(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        guaranteed_stop = _parse_guaranteed_stop(unparsed_src.pop("guaranteedStop"))

        def _parse_trailing_stop_pips(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        trailing_stop_pips = _parse_trailing_stop_pips(unparsed_src.pop("trailingStopPips"))

        def _parse_stop_type(data: object) -> None | StopType:
            if data is None:
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                stop_type_type_1 = StopType(data)

                return stop_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StopType, data)

        stop_type = _parse_stop_type(unparsed_src.pop("stopType"))

        def _parse_filled_qty(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        filled_qty = _parse_filled_qty(unparsed_src.pop("filledQty"))

        def _parse_avg_price(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        avg_price = _parse_avg_price(unparsed_src.pop("avgPrice"))

        def _parse_update_time(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        update_time = _parse_update_time(unparsed_src.pop("updateTime"))

        def _parse_parent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_id = _parse_parent_id(unparsed_src.pop("parentId"))

        def _parse_parent_type(data: object) -> None | ParentType:
            if data is None:
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                parent_type_type_1 = ParentType(data)

                return parent_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ParentType, data)

        parent_type = _parse_parent_type(unparsed_src.pop("parentType"))

        def _parse_client_order_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_order_id = _parse_client_order_id(unparsed_src.pop("clientOrderId"))

        def _parse_duration(data: object) -> Duration | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                duration_type_1 = Duration.from_dict(data)

                return duration_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Duration | None, data)

        duration = _parse_duration(unparsed_src.pop("duration"))

        placed_order = cls(
            id=id,
            symbol=symbol,
            type_=type_,
            side=side,
            qty=qty,
            status=status,
            limit_price=limit_price,
            stop_price=stop_price,
            take_profit=take_profit,
            stop_loss=stop_loss,
            guaranteed_stop=guaranteed_stop,
            trailing_stop_pips=trailing_stop_pips,
            stop_type=stop_type,
            filled_qty=filled_qty,
            avg_price=avg_price,
            update_time=update_time,
            parent_id=parent_id,
            parent_type=parent_type,
            client_order_id=client_order_id,
            duration=duration,
        )

        placed_order.additional_properties = unparsed_src
        return placed_order

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
