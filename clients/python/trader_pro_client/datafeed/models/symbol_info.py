from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.symbol_info_data_status import SymbolInfoDataStatus

T = TypeVar("T", bound="SymbolInfo")


@_attrs_define
class SymbolInfo:
    """
    Attributes:
        name (str): Symbol name
        description (str): Symbol description
        type_ (str): Symbol type (stock, crypto, forex, etc.)
        session (str): Trading session hours
        timezone (str): Symbol timezone
        ticker (str): Symbol ticker Default: ''.
        exchange (str): Exchange name
        listed_exchange (str): Listed exchange
        format_ (str): Price format
        pricescale (int): Price scale
        minmov (int): Minimum movement
        has_intraday (bool): Has intraday data
        has_daily (bool): Has daily data
        supported_resolutions (list[str]): Supported resolutions
        volume_precision (int): Volume precision
        data_status (SymbolInfoDataStatus): Data status
    """

    name: str
    description: str
    type_: str
    session: str
    timezone: str
    exchange: str
    listed_exchange: str
    format_: str
    pricescale: int
    minmov: int
    has_intraday: bool
    has_daily: bool
    supported_resolutions: list[str]
    volume_precision: int
    data_status: SymbolInfoDataStatus
    ticker: str = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        type_ = self.type_

        session = self.session

        timezone = self.timezone

        ticker = self.ticker

        exchange = self.exchange

        listed_exchange = self.listed_exchange

        format_ = self.format_

        pricescale = self.pricescale

        minmov = self.minmov

        has_intraday = self.has_intraday

        has_daily = self.has_daily

        supported_resolutions = self.supported_resolutions

        volume_precision = self.volume_precision

        data_status = self.data_status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "description": description,
                "type": type_,
                "session": session,
                "timezone": timezone,
                "ticker": ticker,
                "exchange": exchange,
                "listed_exchange": listed_exchange,
                "format": format_,
                "pricescale": pricescale,
                "minmov": minmov,
                "has_intraday": has_intraday,
                "has_daily": has_daily,
                "supported_resolutions": supported_resolutions,
                "volume_precision": volume_precision,
                "data_status": data_status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        unparsed_src = dict(src_dict)
        name = unparsed_src.pop("name")

        description = unparsed_src.pop("description")

        type_ = unparsed_src.pop("type")

        session = unparsed_src.pop("session")

        timezone = unparsed_src.pop("timezone")

        ticker = unparsed_src.pop("ticker")

        exchange = unparsed_src.pop("exchange")

        listed_exchange = unparsed_src.pop("listed_exchange")

        format_ = unparsed_src.pop("format")

        pricescale = unparsed_src.pop("pricescale")

        minmov = unparsed_src.pop("minmov")

        has_intraday = unparsed_src.pop("has_intraday")

        has_daily = unparsed_src.pop("has_daily")

        supported_resolutions = cast(list[str], unparsed_src.pop("supported_resolutions"))

        volume_precision = unparsed_src.pop("volume_precision")

        data_status = SymbolInfoDataStatus(unparsed_src.pop("data_status"))

        symbol_info = cls(
            name=name,
            description=description,
            type_=type_,
            session=session,
            timezone=timezone,
            ticker=ticker,
            exchange=exchange,
            listed_exchange=listed_exchange,
            format_=format_,
            pricescale=pricescale,
            minmov=minmov,
            has_intraday=has_intraday,
            has_daily=has_daily,
            supported_resolutions=supported_resolutions,
            volume_precision=volume_precision,
            data_status=data_status,
        )

        symbol_info.additional_properties = unparsed_src
        return symbol_info

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
