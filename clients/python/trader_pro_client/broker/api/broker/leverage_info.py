from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error import InternalError
from ...models.leverage_info import LeverageInfo
from ...models.order_type import OrderType
from ...models.side import Side
from ...types import UNSET, Response


def _get_kwargs(
    *,
    symbol: str,
    order_type: OrderType,
    side: Side,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["symbol"] = symbol

    json_order_type = order_type.value
    params["orderType"] = json_order_type

    json_side = side.value
    params["side"] = json_side

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/leverage/info",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | HTTPValidationError | InternalError | LeverageInfo | None:
    if response.status_code == 200:
        response_200 = LeverageInfo.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = HTTPError.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = HTTPError.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = InternalError.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = HTTPError.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[HTTPError | HTTPValidationError | InternalError | LeverageInfo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    order_type: OrderType,
    side: Side,
) -> Response[HTTPError | HTTPValidationError | InternalError | LeverageInfo]:
    """Get leverage info

    Args:
        symbol (str):
        order_type (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | LeverageInfo]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        order_type=order_type,
        side=side,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    order_type: OrderType,
    side: Side,
) -> HTTPError | HTTPValidationError | InternalError | LeverageInfo | None:
    """Get leverage info

    Args:
        symbol (str):
        order_type (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | LeverageInfo
    """

    return sync_detailed(
        client=client,
        symbol=symbol,
        order_type=order_type,
        side=side,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    order_type: OrderType,
    side: Side,
) -> Response[HTTPError | HTTPValidationError | InternalError | LeverageInfo]:
    """Get leverage info

    Args:
        symbol (str):
        order_type (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | LeverageInfo]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        order_type=order_type,
        side=side,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    order_type: OrderType,
    side: Side,
) -> HTTPError | HTTPValidationError | InternalError | LeverageInfo | None:
    """Get leverage info

    Args:
        symbol (str):
        order_type (OrderType): Order type enumeration matching TradingView OrderType
        side (Side): Order/Position side enumeration matching TradingView Side

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | LeverageInfo
    """

    return (
        await asyncio_detailed(
            client=client,
            symbol=symbol,
            order_type=order_type,
            side=side,
        )
    ).parsed
