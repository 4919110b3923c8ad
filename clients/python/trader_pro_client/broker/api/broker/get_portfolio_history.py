from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_portfolio_history_period import GetPortfolioHistoryPeriod
from ...models.get_portfolio_history_timeframe import GetPortfolioHistoryTimeframe
from ...models.http_error import HTTPError
from ...models.http_validation_error import HTTPValidationError
from ...models.internal_error import InternalError
from ...models.portfolio_history import PortfolioHistory
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: GetPortfolioHistoryPeriod | Unset = GetPortfolioHistoryPeriod.VALUE_2,
    timeframe: GetPortfolioHistoryTimeframe | Unset = GetPortfolioHistoryTimeframe.VALUE_4,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    json_timeframe: str | Unset = UNSET
    if not isinstance(timeframe, Unset):
        json_timeframe = timeframe.value

    params["timeframe"] = json_timeframe

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/account/history",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HTTPError | HTTPValidationError | InternalError | PortfolioHistory | None:
    if response.status_code == 200:
        response_200 = PortfolioHistory.from_dict(response.json())

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
) -> Response[HTTPError | HTTPValidationError | InternalError | PortfolioHistory]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: GetPortfolioHistoryPeriod | Unset = GetPortfolioHistoryPeriod.VALUE_2,
    timeframe: GetPortfolioHistoryTimeframe | Unset = GetPortfolioHistoryTimeframe.VALUE_4,
) -> Response[HTTPError | HTTPValidationError | InternalError | PortfolioHistory]:
    """Get portfolio history

     The account's equity over a period at a timeframe's grid times (Alpaca's portfolio history): each
    point is the equity the engine reported at that time, computed from the executions and the market's
    prices. At most 10,000 points, and intraday timeframes over at most 30 days (as Alpaca), else 422.

    Args:
        period (GetPortfolioHistoryPeriod | Unset):  Default: GetPortfolioHistoryPeriod.VALUE_2.
        timeframe (GetPortfolioHistoryTimeframe | Unset):  Default:
            GetPortfolioHistoryTimeframe.VALUE_4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | PortfolioHistory]
    """

    kwargs = _get_kwargs(
        period=period,
        timeframe=timeframe,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    period: GetPortfolioHistoryPeriod | Unset = GetPortfolioHistoryPeriod.VALUE_2,
    timeframe: GetPortfolioHistoryTimeframe | Unset = GetPortfolioHistoryTimeframe.VALUE_4,
) -> HTTPError | HTTPValidationError | InternalError | PortfolioHistory | None:
    """Get portfolio history

     The account's equity over a period at a timeframe's grid times (Alpaca's portfolio history): each
    point is the equity the engine reported at that time, computed from the executions and the market's
    prices. At most 10,000 points, and intraday timeframes over at most 30 days (as Alpaca), else 422.

    Args:
        period (GetPortfolioHistoryPeriod | Unset):  Default: GetPortfolioHistoryPeriod.VALUE_2.
        timeframe (GetPortfolioHistoryTimeframe | Unset):  Default:
            GetPortfolioHistoryTimeframe.VALUE_4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | PortfolioHistory
    """

    return sync_detailed(
        client=client,
        period=period,
        timeframe=timeframe,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: GetPortfolioHistoryPeriod | Unset = GetPortfolioHistoryPeriod.VALUE_2,
    timeframe: GetPortfolioHistoryTimeframe | Unset = GetPortfolioHistoryTimeframe.VALUE_4,
) -> Response[HTTPError | HTTPValidationError | InternalError | PortfolioHistory]:
    """Get portfolio history

     The account's equity over a period at a timeframe's grid times (Alpaca's portfolio history): each
    point is the equity the engine reported at that time, computed from the executions and the market's
    prices. At most 10,000 points, and intraday timeframes over at most 30 days (as Alpaca), else 422.

    Args:
        period (GetPortfolioHistoryPeriod | Unset):  Default: GetPortfolioHistoryPeriod.VALUE_2.
        timeframe (GetPortfolioHistoryTimeframe | Unset):  Default:
            GetPortfolioHistoryTimeframe.VALUE_4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HTTPError | HTTPValidationError | InternalError | PortfolioHistory]
    """

    kwargs = _get_kwargs(
        period=period,
        timeframe=timeframe,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    period: GetPortfolioHistoryPeriod | Unset = GetPortfolioHistoryPeriod.VALUE_2,
    timeframe: GetPortfolioHistoryTimeframe | Unset = GetPortfolioHistoryTimeframe.VALUE_4,
) -> HTTPError | HTTPValidationError | InternalError | PortfolioHistory | None:
    """Get portfolio history

     The account's equity over a period at a timeframe's grid times (Alpaca's portfolio history): each
    point is the equity the engine reported at that time, computed from the executions and the market's
    prices. At most 10,000 points, and intraday timeframes over at most 30 days (as Alpaca), else 422.

    Args:
        period (GetPortfolioHistoryPeriod | Unset):  Default: GetPortfolioHistoryPeriod.VALUE_2.
        timeframe (GetPortfolioHistoryTimeframe | Unset):  Default:
            GetPortfolioHistoryTimeframe.VALUE_4.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HTTPError | HTTPValidationError | InternalError | PortfolioHistory
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
            timeframe=timeframe,
        )
    ).parsed
