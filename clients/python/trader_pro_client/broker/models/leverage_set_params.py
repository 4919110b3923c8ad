from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.order_type import OrderType
from ..models.side import Side
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.leverage_set_params_custom_fields_type_0 import LeverageSetParamsCustomFieldsType0


T = TypeVar("T", bound="LeverageSetParams")


@_attrs_define
class LeverageSetParams:
    """
    Attributes:
        symbol (str): Symbol identifier
        order_type (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side
        leverage (float): Requested leverage value
        custom_fields (LeverageSetParamsCustomFieldsType0 | None | Unset): Custom data for the broker
    """

    symbol: str
    order_type: OrderType
    side: Side
    leverage: float
    custom_fields: LeverageSetParamsCustomFieldsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.leverage_set_params_custom_fields_type_0 import LeverageSetParamsCustomFieldsType0

        symbol = self.symbol

        order_type = self.order_type.value

        side = self.side.value

        leverage = self.leverage

        custom_fields: dict[str, Any] | None | Unset
        if isinstance(self.custom_fields, Unset):
            custom_fields = UNSET
        elif isinstance(self.custom_fields, LeverageSetParamsCustomFieldsType0):
            custom_fields = self.custom_fields.to_dict()
        else:
            custom_fields = self.custom_fields

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "symbol": symbol,
                "orderType": order_type,
                "side": side,
                "leverage": leverage,
            }
        )
        if custom_fields is not UNSET:
            field_dict["customFields"] = custom_fields

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.leverage_set_params_custom_fields_type_0 import LeverageSetParamsCustomFieldsType0

        unparsed_src = dict(src_dict)
        symbol = unparsed_src.pop("symbol")

        order_type = OrderType(unparsed_src.pop("orderType"))

        side = Side(unparsed_src.pop("side"))

        leverage = unparsed_src.pop("leverage")

        def _parse_custom_fields(data: object) -> LeverageSetParamsCustomFieldsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                custom_fields_type_0 = LeverageSetParamsCustomFieldsType0.from_dict(data)

                return custom_fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LeverageSetParamsCustomFieldsType0 | None | Unset, data)

        custom_fields = _parse_custom_fields(unparsed_src.pop("customFields", UNSET))

        leverage_set_params = cls(
            symbol=symbol,
            order_type=order_type,
            side=side,
            leverage=leverage,
            custom_fields=custom_fields,
        )

        leverage_set_params.additional_properties = unparsed_src
        return leverage_set_params

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
