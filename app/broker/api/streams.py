"""The broker's WebSocket routes, fed by the engine's events (single-account mode, DESIGN §4 #7).

Every engine event goes to every topic of its route, whatever ``accountId`` the client used;
each new subscription gets a snapshot right after its ``subscribe.response`` (DESIGN §8).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.broker.api import wire
from app.broker.domain.engine import Engine
from app.broker.domain.enums import OrderStatus
from app.broker.domain.snapshots import Event
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


def broker_routes(engine: Engine, connection_status: Callable[[], Payload]) -> list[Route]:
    """``connection_status``: the matching loop's BrokerConnectionStatus (suspended or not)."""

    def orders(_: Payload) -> Sequence[Payload]:
        return [wire.placed_order(o) for o in engine.orders() if o.status == OrderStatus.WORKING]

    def positions(_: Payload) -> Sequence[Payload]:
        return [wire.position(p) for p in engine.positions()]

    def equity(_: Payload) -> Sequence[Payload]:
        return [wire.equity(engine.equity())]

    def connection(_: Payload) -> Sequence[Payload]:
        return [connection_status()]

    return [
        Route(
            "orders",
            OrderSubscriptionRequestSchema(),
            Kind.RELIABLE,
            snapshot=orders,
            update_schema=SubscriptionUpdate_PlacedOrder_Schema(),
            summary="Orders",
        ),
        Route(
            "positions",
            PositionSubscriptionRequestSchema(),
            Kind.RELIABLE,
            snapshot=positions,
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
        listening = hub.has_topics
        publish = hub.publish_route
        for event in events:
            if listening(event.route):
                publish(event.route, wire.event_wire(event))

    return sink
