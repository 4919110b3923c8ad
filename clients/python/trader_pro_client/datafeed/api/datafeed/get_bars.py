from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_bars_response import GetBarsResponse
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error import InternalError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    symbol: str,
    resolution: str,
    from_time: int,
    to_time: int,
    count_back: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["symbol"] = symbol

    params["resolution"] = resolution

    params["from_time"] = from_time

    params["to_time"] = to_time

    json_count_back: int | None | Unset
    if isinstance(count_back, Unset):
        json_count_back = UNSET
    else:
        json_count_back = count_back
    params["count_back"] = json_count_back

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/bars",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetBarsResponse | HTTPError | HTTPValidationError | InternalError | None:
    if response.status_code == 200:
        response_200 = GetBarsResponse.from_dict(response.json())

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
) -> Response[GetBarsResponse | HTTPError | HTTPValidationError | InternalError]:
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
    resolution: str,
    from_time: int,
    to_time: int,
    count_back: int | None | Unset = UNSET,
) -> Response[GetBarsResponse | HTTPError | HTTPValidationError | InternalError]:
    """Get historical bars

     `from_time`/`to_time` are Unix milliseconds; `count_back` keeps the last n bars of the range; at
    most 10,000 bars (the most recent); a `to_time` in the future stops at now.

    Args:
        symbol (str):
        resolution (str):
        from_time (int):
        to_time (int):
        count_back (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetBarsResponse | HTTPError | HTTPValidationError | InternalError]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        resolution=resolution,
        from_time=from_time,
        to_time=to_time,
        count_back=count_back,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    resolution: str,
    from_time: int,
    to_time: int,
    count_back: int | None | Unset = UNSET,
) -> GetBarsResponse | HTTPError | HTTPValidationError | InternalError | None:
    """Get historical bars

     `from_time`/`to_time` are Unix milliseconds; `count_back` keeps the last n bars of the range; at
    most 10,000 bars (the most recent); a `to_time` in the future stops at now.

    Args:
        symbol (str):
        resolution (str):
        from_time (int):
        to_time (int):
        count_back (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetBarsResponse | HTTPError | HTTPValidationError | InternalError
    """

    return sync_detailed(
        client=client,
        symbol=symbol,
        resolution=resolution,
        from_time=from_time,
        to_time=to_time,
        count_back=count_back,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    resolution: str,
    from_time: int,
    to_time: int,
    count_back: int | None | Unset = UNSET,
) -> Response[GetBarsResponse | HTTPError | HTTPValidationError | InternalError]:
    """Get historical bars

     `from_time`/`to_time` are Unix milliseconds; `count_back` keeps the last n bars of the range; at
    most 10,000 bars (the most recent); a `to_time` in the future stops at now.

    Args:
        symbol (str):
        resolution (str):
        from_time (int):
        to_time (int):
        count_back (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetBarsResponse | HTTPError | HTTPValidationError | InternalError]
    """

    kwargs = _get_kwargs(
        symbol=symbol,
        resolution=resolution,
        from_time=from_time,
        to_time=to_time,
        count_back=count_back,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    symbol: str,
    resolution: str,
    from_time: int,
    to_time: int,
    count_back: int | None | Unset = UNSET,
) -> GetBarsResponse | HTTPError | HTTPValidationError | InternalError | None:
    """Get historical bars

     `from_time`/`to_time` are Unix milliseconds; `count_back` keeps the last n bars of the range; at
    most 10,000 bars (the most recent); a `to_time` in the future stops at now.

    Args:
        symbol (str):
        resolution (str):
        from_time (int):
        to_time (int):
        count_back (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetBarsResponse | HTTPError | HTTPValidationError | InternalError
    """

    return (
        await asyncio_detailed(
            client=client,
            symbol=symbol,
            resolution=resolution,
            from_time=from_time,
            to_time=to_time,
            count_back=count_back,
        )
    ).parsed
