from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error import InternalError
from ...models.udf_search_item import UdfSearchItem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    query: str | Unset = "",
    type_: str | Unset = "",
    exchange: str | Unset = "",
    limit: int | Unset = 30,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["query"] = query

    params["type"] = type_

    params["exchange"] = exchange

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/udf/search",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = UdfSearchItem.from_dict(response_200_item_data)

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
) -> Response[HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "",
    type_: str | Unset = "",
    exchange: str | Unset = "",
    limit: int | Unset = 30,
) -> Response[HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]]:
    """UDF: search symbols

    Args:
        query (str | Unset):  Default: ''.
        type_ (str | Unset):  Default: ''.
        exchange (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]]
    """

    kwargs = _get_kwargs(
        query=query,
        type_=type_,
        exchange=exchange,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "",
    type_: str | Unset = "",
    exchange: str | Unset = "",
    limit: int | Unset = 30,
) -> HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem] | None:
    """UDF: search symbols

    Args:
        query (str | Unset):  Default: ''.
        type_ (str | Unset):  Default: ''.
        exchange (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]
    """

    return sync_detailed(
        client=client,
        query=query,
        type_=type_,
        exchange=exchange,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "",
    type_: str | Unset = "",
    exchange: str | Unset = "",
    limit: int | Unset = 30,
) -> Response[HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]]:
    """UDF: search symbols

    Args:
        query (str | Unset):  Default: ''.
        type_ (str | Unset):  Default: ''.
        exchange (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]]
    """

    kwargs = _get_kwargs(
        query=query,
        type_=type_,
        exchange=exchange,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    query: str | Unset = "",
    type_: str | Unset = "",
    exchange: str | Unset = "",
    limit: int | Unset = 30,
) -> HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem] | None:
    """UDF: search symbols

    Args:
        query (str | Unset):  Default: ''.
        type_ (str | Unset):  Default: ''.
        exchange (str | Unset):  Default: ''.
        limit (int | Unset):  Default: 30.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | list[UdfSearchItem]
    """

    return (
        await asyncio_detailed(
            client=client,
            query=query,
            type_=type_,
            exchange=exchange,
            limit=limit,
        )
    ).parsed
