from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QuoteValues")


@_attrs_define
class QuoteValues:
    """
    Attributes:
        lp (float): Last price
        ask (float): Ask price
        bid (float): Bid price
        spread (float): Spread
        open_price (float): Open price
        high_price (float): High price
        low_price (float): Low price
        prev_close_price (float): Previous close price
        volume (int): Volume
        ch (float): Change
        chp (float): Change percent
        short_name (str): Short name
        exchange (str): Exchange
        description (str): Description
        original_name (str): Original name
    """

    lp: float
    ask: float
    bid: float
    spread: float
    open_price: float
    high_price: float
    low_price: float
    prev_close_price: float
    volume: int
    ch: float
    chp: float
    short_name: str
    exchange: str
    description: str
    original_name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lp = self.lp

        ask = self.ask

        bid = self.bid

        spread = self.spread

        open_price = self.open_price

        high_price = self.high_price

        low_price = self.low_price

        prev_close_price = self.prev_close_price

        volume = self.volume

        ch = self.ch

        chp = self.chp

        short_name = self.short_name

        exchange = self.exchange

        description = self.description

        original_name = self.original_name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lp": lp,
                "ask": ask,
                "bid": bid,
                "spread": spread,
                "open_price": open_price,
                "high_price": high_price,
                "low_price": low_price,
                "prev_close_price": prev_close_price,
                "volume": volume,
                "ch": ch,
                "chp": chp,
                "short_name": short_name,
                "exchange": exchange,
                "description": description,
                "original_name": original_name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        lp = unparsed_src.pop("lp")

        ask = unparsed_src.pop("ask")

        bid = unparsed_src.pop("bid")

        spread = unparsed_src.pop("spread")

        open_price = unparsed_src.pop("open_price")

        high_price = unparsed_src.pop("high_price")

        low_price = unparsed_src.pop("low_price")

        prev_close_price = unparsed_src.pop("prev_close_price")

        volume = unparsed_src.pop("volume")

        ch = unparsed_src.pop("ch")

        chp = unparsed_src.pop("chp")

        short_name = unparsed_src.pop("short_name")

        exchange = unparsed_src.pop("exchange")

        description = unparsed_src.pop("description")

        original_name = unparsed_src.pop("original_name")

        quote_values = cls(
            lp=lp,
            ask=ask,
            bid=bid,
            spread=spread,
            open_price=open_price,
            high_price=high_price,
            low_price=low_price,
            prev_close_price=prev_close_price,
            volume=volume,
            ch=ch,
            chp=chp,
            short_name=short_name,
            exchange=exchange,
            description=description,
            original_name=original_name,
        )

        quote_values.additional_properties = unparsed_src
        return quote_values

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
