from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_type import OrderType
from ..models.side import Side
from ..models.stop_type import StopType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.current_quotes import CurrentQuotes
    from ..models.duration import Duration


T = TypeVar("T", bound="PreOrder")


@_attrs_define
class PreOrder:
    """
    Attributes:
        symbol (str): Symbol identifier
        type_ (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side
        qty (float): Order quantity
        limit_price (float | None | Unset): Order limit price
        stop_price (float | None | Unset): Order stop price
        take_profit (float | None | Unset): Order take profit (Brackets)
        stop_loss (float | None | Unset): Order stop loss (Brackets)
        guaranteed_stop (float | None | Unset): Order guaranteed stop loss (Brackets)
        trailing_stop_pips (float | None | Unset): Order trailing stop (Brackets)
        stop_type (None | StopType | Unset): Type of stop order
        seen_price (float | None | Unset): Price seen at order creation time
        current_quotes (CurrentQuotes | None | Unset): Current market quotes (ask and bid)
        client_order_id (None | str | Unset): Idempotency key: a repeat with the same body returns the same orderId
        duration (Duration | None | Unset): Time in force (absent or null: GTC); IOC and FOK for MARKET and LIMIT only
    """

    symbol: str
    type_: OrderType
    side: Side
    qty: float
    limit_price: float | None | Unset = UNSET
    stop_price: float | None | Unset = UNSET
    take_profit: float | None | Unset = UNSET
    stop_loss: float | None | Unset = UNSET
    guaranteed_stop: float | None | Unset = UNSET
    trailing_stop_pips: float | None | Unset = UNSET
    stop_type: None | StopType | Unset = UNSET
    seen_price: float | None | Unset = UNSET
    current_quotes: CurrentQuotes | None | Unset = UNSET
    client_order_id: None | str | Unset = UNSET
    duration: Duration | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.current_quotes import CurrentQuotes
        from ..models.duration import Duration

        symbol = self.symbol

        type_ = self.type_.value

        side = self.side.value

        qty = self.qty

        limit_price: float | None | Unset
        if isinstance(self.limit_price, Unset):
            limit_price = UNSET
        else:
            limit_price = self.limit_price

        stop_price: float | None | Unset
        if isinstance(self.stop_price, Unset):
            stop_price = UNSET
        else:
            stop_price = self.stop_price

        take_profit: float | None | Unset
        if isinstance(self.take_profit, Unset):
            take_profit = UNSET
        else:
            take_profit = self.take_profit

        stop_loss: float | None | Unset
        if isinstance(self.stop_loss, Unset):
            stop_loss = UNSET
        else:
            stop_loss = self.stop_loss

        guaranteed_stop: float | None | Unset
        if isinstance(self.guaranteed_stop, Unset):
            guaranteed_stop = UNSET
        else:
            guaranteed_stop = self.guaranteed_stop

        trailing_stop_pips: float | None | Unset
        if isinstance(self.trailing_stop_pips, Unset):
            trailing_stop_pips = UNSET
        else:
            trailing_stop_pips = self.trailing_stop_pips

        stop_type: int | None | Unset
        if isinstance(self.stop_type, Unset):
            stop_type = UNSET
        elif isinstance(self.stop_type, StopType):
            stop_type = self.stop_type.value
        else:
            stop_type = self.stop_type

        seen_price: float | None | Unset
        if isinstance(self.seen_price, Unset):
            seen_price = UNSET
        else:
            seen_price = self.seen_price

        current_quotes: dict[str, Any] | None | Unset
        if isinstance(self.current_quotes, Unset):
            current_quotes = UNSET
        elif isinstance(self.current_quotes, CurrentQuotes):
            current_quotes = self.current_quotes.to_dict()
        else:
            current_quotes = self.current_quotes

        client_order_id: None | str | Unset
        if isinstance(self.client_order_id, Unset):
            client_order_id = UNSET
        else:
            client_order_id = self.client_order_id

        duration: dict[str, Any] | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        elif isinstance(self.duration, Duration):
            duration = self.duration.to_dict()
        else:
            duration = self.duration

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "symbol": symbol,
                "type": type_,
                "side": side,
                "qty": qty,
            }
        )
        if limit_price is not UNSET:
            field_dict["limitPrice"] = limit_price
        if stop_price is not UNSET:
            field_dict["stopPrice"] = stop_price
        if take_profit is not UNSET:
            field_dict["takeProfit"] = take_profit
        if stop_loss is not UNSET:
            field_dict["stopLoss"] = stop_loss
        if guaranteed_stop is not UNSET:
            field_dict["guaranteedStop"] = guaranteed_stop
        if trailing_stop_pips is not UNSET:
            field_dict["trailingStopPips"] = trailing_stop_pips
        if stop_type is not UNSET:
            field_dict["stopType"] = stop_type
        if seen_price is not UNSET:
            field_dict["seenPrice"] = seen_price
        if current_quotes is not UNSET:
            field_dict["currentQuotes"] = current_quotes
        if client_order_id is not UNSET:
            field_dict["clientOrderId"] = client_order_id
        if duration is not UNSET:
            field_dict["duration"] = duration

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.current_quotes import CurrentQuotes
        from ..models.duration import Duration

        unparsed_src = dict(src_dict)
        symbol = unparsed_src.pop("symbol")

        type_ = OrderType(unparsed_src.pop("type"))

        side = Side(unparsed_src.pop("side"))

        qty = unparsed_src.pop("qty")

        def _parse_limit_price(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        limit_price = _parse_limit_price(unparsed_src.pop("limitPrice", UNSET))

        def _parse_stop_price(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        stop_price = _parse_stop_price(unparsed_src.pop("stopPrice", UNSET))

        def _parse_take_profit(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        take_profit = _parse_take_profit(unparsed_src.pop("takeProfit", UNSET))

        def _parse_stop_loss(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        stop_loss = _parse_stop_loss(unparsed_src.pop("stopLoss", UNSET))

        def _parse_guaranteed_stop(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        guaranteed_stop = _parse_guaranteed_stop(unparsed_src.pop("guaranteedStop", UNSET))

        def _parse_trailing_stop_pips(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        trailing_stop_pips = _parse_trailing_stop_pips(unparsed_src.pop("trailingStopPips", UNSET))

        def _parse_stop_type(data: object) -> None | StopType | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, int):
                    raise TypeError()
                stop_type_type_1 = StopType(data)

                return stop_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StopType | Unset, data)

        stop_type = _parse_stop_type(unparsed_src.pop("stopType", UNSET))

        def _parse_seen_price(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        seen_price = _parse_seen_price(unparsed_src.pop("seenPrice", UNSET))

        def _parse_current_quotes(data: object) -> CurrentQuotes | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_quotes_type_1 = CurrentQuotes.from_dict(data)

                return current_quotes_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CurrentQuotes | None | Unset, data)

        current_quotes = _parse_current_quotes(unparsed_src.pop("currentQuotes", UNSET))

        def _parse_client_order_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_order_id = _parse_client_order_id(unparsed_src.pop("clientOrderId", UNSET))

        def _parse_duration(data: object) -> Duration | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                duration_type_1 = Duration.from_dict(data)

                return duration_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Duration | None | Unset, data)

        duration = _parse_duration(unparsed_src.pop("duration", UNSET))

        pre_order = cls(
            symbol=symbol,
            type_=type_,
            side=side,
            qty=qty,
            limit_price=limit_price,
            stop_price=stop_price,
            take_profit=take_profit,
            stop_loss=stop_loss,
            guaranteed_stop=guaranteed_stop,
            trailing_stop_pips=trailing_stop_pips,
            stop_type=stop_type,
            seen_price=seen_price,
            current_quotes=current_quotes,
            client_order_id=client_order_id,
            duration=duration,
        )

        pre_order.additional_properties = unparsed_src
        return pre_order

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
