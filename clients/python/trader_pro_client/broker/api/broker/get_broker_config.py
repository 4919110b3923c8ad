from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.broker_config import BrokerConfig
from ...models.http_error import HTTPError
from ...models.internal_error import InternalError
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/config",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BrokerConfig | HTTPError | InternalError | None:
    if response.status_code == 200:
        response_200 = BrokerConfig.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = HTTPError.from_dict(response.json())

        return response_401

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
) -> Response[BrokerConfig | HTTPError | InternalError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[BrokerConfig | HTTPError | InternalError]:
    """Get broker config

     What the broker supports, for a terminal's order ticket: order types, durations (time in force) with
    the order types each applies to and the default one, leverage range, the account's currency and
    TradingView's configFlags (supportMargin: MARGIN_CHECK is on).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrokerConfig | HTTPError | InternalError]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
) -> BrokerConfig | HTTPError | InternalError | None:
    """Get broker config

     What the broker supports, for a terminal's order ticket: order types, durations (time in force) with
    the order types each applies to and the default one, leverage range, the account's currency and
    TradingView's configFlags (supportMargin: MARGIN_CHECK is on).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrokerConfig | HTTPError | InternalError
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
) -> Response[BrokerConfig | HTTPError | InternalError]:
    """Get broker config

     What the broker supports, for a terminal's order ticket: order types, durations (time in force) with
    the order types each applies to and the default one, leverage range, the account's currency and
    TradingView's configFlags (supportMargin: MARGIN_CHECK is on).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrokerConfig | HTTPError | InternalError]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
) -> BrokerConfig | HTTPError | InternalError | None:
    """Get broker config

     What the broker supports, for a terminal's order ticket: order types, durations (time in force) with
    the order types each applies to and the default one, leverage range, the account's currency and
    TradingView's configFlags (supportMargin: MARGIN_CHECK is on).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrokerConfig | HTTPError | InternalError
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
