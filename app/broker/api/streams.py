"""The broker's WebSocket routes, fed by the engines' events.

``AUTH=off`` (single-account mode, DESIGN §4 #7): every event of the one engine goes to every
topic of its route, whatever ``accountId`` the client used. ``AUTH=required``: a connection may
only subscribe with its key's ``accountId`` (``subscription_guard``), and an account's events go
to its own topic of each route only (``publish_account_events``). Each new subscription gets a
snapshot right after its ``subscribe.response`` (DESIGN §8), taken from committed state only:
the subscription first waits for a batch in flight to commit or roll back (``settle``), as a
REST read does, so a snapshot never shows changes a failed commit then undoes. While the
account cannot be served (a reload pending, moved to another instance) the subscription is
refused with the message a REST read would answer with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.broker.api import wire
from app.broker.api.accounts import BrokerAccount
from app.broker.api.durable import NotServed
from app.broker.api.errors import MOVED_DETAIL, STORE_UNAVAILABLE
from app.broker.domain.snapshots import Event
from app.store.interface import StoreError
from schemas.ws import (
    BrokerConnectionSubscriptionRequestSchema,
    EquitySubscriptionRequestSchema,
    ExecutionSubscriptionRequestSchema,
    OrderSubscriptionRequestSchema,
    PositionSubscriptionRequestSchema,
    SubscriptionUpdate_BrokerConnectionStatus_Schema,
    SubscriptionUpdate_EquityData_Schema,
    SubscriptionUpdate_Execution_Schema,
    SubscriptionUpdate_PlacedOrder_Schema,
    SubscriptionUpdate_Position_Schema,
)
from ws.hub import Hub
from ws.route import Kind, Payload, Route
from ws.topic import make_topic

ACCOUNT_ROUTES = ("orders", "positions", "executions", "equity")
NOT_YOURS = "accountId: Not the account of this connection's API key"


def broker_routes(account_of: Callable[[Payload], BrokerAccount | None],
                  connection_status: Callable[[], Payload]) -> list[Route]:
    """``account_of``: the account a subscription's parameters name (None: no snapshot);
    ``connection_status``: the matching loop's BrokerConnectionStatus (suspended or not)."""

    def orders(params: Payload) -> Sequence[Payload]:
        account = account_of(params)
        return [] if account is None else [
            wire.placed_order(o) for o in account.engine.working_orders()]

    def positions(params: Payload) -> Sequence[Payload]:
        account = account_of(params)
        return [] if account is None else [wire.position(p) for p in account.engine.positions()]

    def equity(params: Payload) -> Sequence[Payload]:
        account = account_of(params)
        return [] if account is None else [wire.equity(account.engine.equity())]

    def connection(_: Payload) -> Sequence[Payload]:
        return [connection_status()]

    async def committed(params: Payload) -> str | None:
        account = account_of(params)
        if account is None:
            return None
        try:
            await account.durable.readable()
        except NotServed:
            return MOVED_DETAIL
        except StoreError:
            return STORE_UNAVAILABLE
        return None

    return [
        Route(
            "orders",
            OrderSubscriptionRequestSchema(),
            Kind.RELIABLE,
            snapshot=orders,
            settle=committed,
            update_schema=SubscriptionUpdate_PlacedOrder_Schema(),
            summary="Orders",
        ),
        Route(
            "positions",
            PositionSubscriptionRequestSchema(),
            Kind.RELIABLE,
            snapshot=positions,
            settle=committed,
            update_schema=SubscriptionUpdate_Position_Schema(),
            summary="Positions",
        ),
        Route(
            "executions",
            ExecutionSubscriptionRequestSchema(),
            Kind.RELIABLE,
            update_schema=SubscriptionUpdate_Execution_Schema(),
            summary="Executions (fills)",
        ),
        Route(
            "equity",
            EquitySubscriptionRequestSchema(),
            Kind.RELIABLE,
            snapshot=equity,
            settle=committed,
            update_schema=SubscriptionUpdate_EquityData_Schema(),
            summary="Equity",
        ),
        Route(
            "broker-connection",
            BrokerConnectionSubscriptionRequestSchema(),
            Kind.RELIABLE,
            snapshot=connection,
            update_schema=SubscriptionUpdate_BrokerConnectionStatus_Schema(),
            summary="Broker connection status",
        ),
    ]


def publish_events(hub: Hub) -> Callable[[Sequence[Event]], None]:
    """The engine sink: one publication per event, in the engine's order."""

    def sink(events: Sequence[Event]) -> None:
        listening = hub.topics_on
        publish = hub.publish_route
        for event in events:
            if listening(event.route):
                publish(event.route, wire.event_wire(event))

    return sink


def publish_account_events(hub: Hub, account_id: str) -> Callable[[Sequence[Event]], None]:
    """One account's engine sink (``AUTH=required``): its events on its own topics only."""
    topics = {route: make_topic(route, {"accountId": account_id}) for route in ACCOUNT_ROUTES}

    def sink(events: Sequence[Event]) -> None:
        listening = hub.topics_on
        publish = hub.publish
        for event in events:
            if listening(event.route):
                publish(topics[event.route], wire.event_wire(event))

    return sink


def subscription_guard(account_id: str | None) -> Callable[[Route, Payload], str | None]:
    """Refuses a subscription naming another account than the connection's key's."""

    def check(_: Route, params: Payload) -> str | None:
        return None if params.get("accountId") == account_id else NOT_YOURS

    return check
