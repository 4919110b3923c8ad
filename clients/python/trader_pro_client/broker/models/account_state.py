from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccountState")


@_attrs_define
class AccountState:
    """
    Attributes:
        id (str): Account ID
        currency (str): Account currency (ISO 4217)
        balance (float): Cash balance (net of commissions)
        equity (float): Balance plus unrealized P&L, marked now
        unrealized_pl (float): Unrealized profit/loss of the open positions
        realized_pl (float): Realized profit/loss (net of commissions)
        margin_used (float): Margin held by open positions and working orders (value / the symbol's leverage)
        buying_power (float): Equity minus margin used: the margin a new order may take (MARGIN_CHECK=on refuses more)
        margin_check (bool): Whether orders are refused past the buying power
    """

    id: str
    currency: str
    balance: float
    equity: float
    unrealized_pl: float
    realized_pl: float
    margin_used: float
    buying_power: float
    margin_check: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        currency = self.currency

        balance = self.balance

        equity = self.equity

        unrealized_pl = self.unrealized_pl

        realized_pl = self.realized_pl

        margin_used = self.margin_used

        buying_power = self.buying_power

        margin_check = self.margin_check

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "currency": currency,
                "balance": balance,
                "equity": equity,
                "unrealizedPL": unrealized_pl,
                "realizedPL": realized_pl,
                "marginUsed": margin_used,
                "buyingPower": buying_power,
                "marginCheck": margin_check,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        id = unparsed_src.pop("id")

        currency = unparsed_src.pop("currency")

        balance = unparsed_src.pop("balance")

        equity = unparsed_src.pop("equity")

        unrealized_pl = unparsed_src.pop("unrealizedPL")

        realized_pl = unparsed_src.pop("realizedPL")

        margin_used = unparsed_src.pop("marginUsed")

        buying_power = unparsed_src.pop("buyingPower")

        margin_check = unparsed_src.pop("marginCheck")

        account_state = cls(
            id=id,
            currency=currency,
            balance=balance,
            equity=equity,
            unrealized_pl=unrealized_pl,
            realized_pl=realized_pl,
            margin_used=margin_used,
            buying_power=buying_power,
            margin_check=margin_check,
        )

        account_state.additional_properties = unparsed_src
        return account_state

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
