from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.placed_order import PlacedOrder


T = TypeVar("T", bound="OrderHistory")


@_attrs_define
class OrderHistory:
    """
    Attributes:
        orders (list[PlacedOrder]): Final orders (filled, cancelled, rejected), newest first: by the time they became
            final, then by order number
        next_ (None | str): Cursor of the next (older) page as `before`; null on the last page
    """

    orders: list[PlacedOrder]
    next_: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        orders = []
        for orders_item_data in self.orders:
            orders_item = orders_item_data.to_dict()
            orders.append(orders_item)

        next_: None | str
        next_ = self.next_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "orders": orders,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.placed_order import PlacedOrder

        unparsed_src = dict(src_dict)
        orders = []
        _orders = unparsed_src.pop("orders")
        for orders_item_data in _orders:
            orders_item = PlacedOrder.from_dict(orders_item_data)

            orders.append(orders_item)

        def _parse_next_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_ = _parse_next_(unparsed_src.pop("next"))

        order_history = cls(
            orders=orders,
            next_=next_,
        )

        order_history.additional_properties = unparsed_src
        return order_history

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
