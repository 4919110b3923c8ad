"""WebSocket protocol: envelope, topics, subscription registry, fan-out hub.

A module describes its routes with ``Route`` and serves them through one ``Hub``::

    hub = Hub([
        Route("bars", BarsSubscriptionRequest(), Kind.LATEST, producer=stream_bars,
              conflation_key=lambda bar: bar["time"]),
        Route("orders", OrderSubscriptionRequest(), Kind.RELIABLE, snapshot=working_orders),
    ])
    app[HUB] = hub                                   # a web.AppKey of the module
    app.router.add_get("/api/v1/broker/ws", hub.handle)
    app.on_shutdown.append(lambda app: hub.close_all())   # closes with 1001
    ...
    hub.publish_route("orders", order_dict)          # from the engine's event sink
"""

from .hub import Hub
from .route import ConflationKey, Kind, Payload, Producer, Publisher, Route, Settle, Snapshot, Weight
from .topic import canon, make_topic

__all__ = [
    "ConflationKey", "Hub", "Kind", "Payload", "Producer", "Publisher", "Route", "Settle", "Snapshot",
    "Weight", "canon", "make_topic",
]
