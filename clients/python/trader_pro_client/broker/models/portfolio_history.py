from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PortfolioHistory")


@_attrs_define
class PortfolioHistory:
    """
    Attributes:
        timestamp (list[int]): Grid times, Unix seconds: the timeframe's multiples from one period before the latest one
            up to it
        equity (list[float]): The account's equity at each time (balance + positions marked at the bid/ask then)
        profit_loss (list[float]): equity − base_value at each time
        profit_loss_pct (list[float]): profit_loss / base_value at each time (a fraction: 0.01 is 1 %)
        base_value (float): The equity at the first time
        timeframe (str): The timeframe of the points
    """

    timestamp: list[int]
    equity: list[float]
    profit_loss: list[float]
    profit_loss_pct: list[float]
    base_value: float
    timeframe: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        timestamp = self.timestamp

        equity = self.equity

        profit_loss = self.profit_loss

        profit_loss_pct = self.profit_loss_pct

        base_value = self.base_value

        timeframe = self.timeframe

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "timestamp": timestamp,
                "equity": equity,
                "profit_loss": profit_loss,
                "profit_loss_pct": profit_loss_pct,
                "base_value": base_value,
                "timeframe": timeframe,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        timestamp = cast(list[int], unparsed_src.pop("timestamp"))

        equity = cast(list[float], unparsed_src.pop("equity"))

        profit_loss = cast(list[float], unparsed_src.pop("profit_loss"))

        profit_loss_pct = cast(list[float], unparsed_src.pop("profit_loss_pct"))

        base_value = unparsed_src.pop("base_value")

        timeframe = unparsed_src.pop("timeframe")

        portfolio_history = cls(
            timestamp=timestamp,
            equity=equity,
            profit_loss=profit_loss,
            profit_loss_pct=profit_loss_pct,
            base_value=base_value,
            timeframe=timeframe,
        )

        portfolio_history.additional_properties = unparsed_src
        return portfolio_history

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
