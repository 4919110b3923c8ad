from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error import InternalError
from ...models.search_symbol_result_item import SearchSymbolResultItem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    user_input: str,
    exchange: str | Unset = "",
    symbol_type: str | Unset = "",
    max_results: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["user_input"] = user_input

    params["exchange"] = exchange

    params["symbol_type"] = symbol_type

    params["max_results"] = max_results

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/search",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = SearchSymbolResultItem.from_dict(response_200_item_data)

            response_200.append(response_200_item)

        return response_200

    if response.status_code == 422:
        response_422 = HTTPValidationError.from_dict(response.json())

        return response_422

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
) -> Response[HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    user_input: str,
    exchange: str | Unset = "",
    symbol_type: str | Unset = "",
    max_results: int | Unset = 50,
) -> Response[HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]]:
    """Search symbols

    Args:
        user_input (str):
        exchange (str | Unset):  Default: ''.
        symbol_type (str | Unset):  Default: ''.
        max_results (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]]
    """

    kwargs = _get_kwargs(
        user_input=user_input,
        exchange=exchange,
        symbol_type=symbol_type,
        max_results=max_results,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    user_input: str,
    exchange: str | Unset = "",
    symbol_type: str | Unset = "",
    max_results: int | Unset = 50,
) -> HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem] | None:
    """Search symbols

    Args:
        user_input (str):
        exchange (str | Unset):  Default: ''.
        symbol_type (str | Unset):  Default: ''.
        max_results (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]
    """

    return sync_detailed(
        client=client,
        user_input=user_input,
        exchange=exchange,
        symbol_type=symbol_type,
        max_results=max_results,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    user_input: str,
    exchange: str | Unset = "",
    symbol_type: str | Unset = "",
    max_results: int | Unset = 50,
) -> Response[HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]]:
    """Search symbols

    Args:
        user_input (str):
        exchange (str | Unset):  Default: ''.
        symbol_type (str | Unset):  Default: ''.
        max_results (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]]
    """

    kwargs = _get_kwargs(
        user_input=user_input,
        exchange=exchange,
        symbol_type=symbol_type,
        max_results=max_results,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    user_input: str,
    exchange: str | Unset = "",
    symbol_type: str | Unset = "",
    max_results: int | Unset = 50,
) -> HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem] | None:
    """Search symbols

    Args:
        user_input (str):
        exchange (str | Unset):  Default: ''.
        symbol_type (str | Unset):  Default: ''.
        max_results (int | Unset):  Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | list[SearchSymbolResultItem]
    """

    return (
        await asyncio_detailed(
            client=client,
            user_input=user_input,
            exchange=exchange,
            symbol_type=symbol_type,
            max_results=max_results,
        )
    ).parsed
